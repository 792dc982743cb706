"""Validate training/events_synth/synth.jsonl against the guideline label sets (docs/annotation/events.md,
src/eventatlas/data/plover_types.csv, acled_types.csv). Usage: .venv/bin/python training/events_synth/validate.py"""
import csv, hashlib, json, sys
from pathlib import Path
root = Path(__file__).resolve().parents[2]
data = root / 'src/eventatlas/data'
def rows(p): return csv.DictReader(l for l in open(p, encoding='utf-8') if not l.startswith('#'))
modes = {}
for r in rows(data / 'plover_types.csv'): modes.setdefault(r['type'], set()).add(r['mode'] or None)
acled = {(r['event_type'], r['sub_event_type']) for r in rows(data / 'acled_types.csv')}
STATUS = {'reported', 'claimed', 'denied', 'disputed', 'planned', 'threatened', 'historical'}
SECTORS = set('GOV MIL COP SPY LEG REB PRM CRM OPP CVL IGO NGO MED REL'.split())
errs, ids = [], set()
path = Path(__file__).with_name('synth.jsonl')
for n, line in enumerate(open(path, encoding='utf-8'), 1):
    r = json.loads(line)
    def err(m): errs.append(f'line {n}: {m}')
    if r['id'] != 'syn-' + hashlib.sha256(r['text'].encode()).hexdigest()[:16]: err('id is not syn-<sha256(text)[:16]>')
    if r['id'] in ids: err('duplicate id')
    ids.add(r['id'])
    if r['event'] != bool(r['events']): err('event flag disagrees with events')
    if not r['purpose'].startswith(('rare-class:', 'hard-negative:', 'hard-positive:')): err('purpose')
    if r['purpose'].startswith('hard-negative:') and r['event']: err('hard negative with events')
    if not r.get('written_by', '').startswith('synthetic'): err('written_by')
    for e in r['events']:
        if e['type'] not in modes: err('type ' + e['type'])
        elif e['mode'] not in modes[e['type']]: err(f"mode {e['mode']} not a mode of {e['type']}")
        if e['acled'] is not None and (e['acled']['event_type'], e['acled']['sub_event_type']) not in acled: err('acled ' + str(e['acled']))
        if e['status'] not in STATUS: err('status ' + e['status'])
        if e['stance'] != ('denies' if e['status'] == 'denied' else 'asserts'): err('stance')
        for a in e['actors'] + e['recipients']:
            if a['sector'] not in SECTORS: err('sector ' + str(a))
            if a['country'] is not None and not (len(a['country']) == 3 and a['country'].isupper()): err('country ' + str(a))
            if not a['name']: err('empty name')
print(f'{len(ids)} records, {len(errs)} errors'); print('\n'.join(errs[:50]))
sys.exit(1 if errs else 0)
