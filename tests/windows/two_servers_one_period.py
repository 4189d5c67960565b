"""Two Windows `baocao serve` processes on one project folder save 100 edits
each, at once, to two files of the same period: every acknowledged edit is in
its file and in the one change log, in save order (the period lock across
processes, the rename over a file the other process reads)."""
import hashlib, http.client, json, os, subprocess, threading, time
from common import baocao, check, done, project, win

N = 100
p = project('two-servers')
ports = [18301, 18302]
servers = [baocao('--du-an', win(p), 'serve', '--port', str(pt), '--no-browser',
                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for pt in ports]


def up(pt):
    for _ in range(240):
        try:
            c = http.client.HTTPConnection('127.0.0.1', pt, timeout=2)
            c.request('GET', '/', headers={'Host': f'127.0.0.1:{pt}'})
            c.getresponse().read()
            return True
        except OSError:
            time.sleep(0.5)
    return False


def stream(pt, file, code, base, acked, failures):
    h = hashlib.sha256(open(f'{p}/data/2026-02/{file}', 'rb').read()).hexdigest()
    for k in range(N):
        v = str(base + k)
        body = json.dumps({'period': '2026-02', 'file': file, 'sheet': file[:-4], 'code': code,
                           'column': 'gia_tri', 'value': v, 'hash': h}).encode()
        c = http.client.HTTPConnection('127.0.0.1', pt, timeout=60)
        c.request('POST', '/api/luu', body=body, headers={
            'Host': f'127.0.0.1:{pt}', 'Origin': f'http://127.0.0.1:{pt}', 'Content-Type': 'application/json'})
        r = c.getresponse()
        t = r.read()
        if r.status != 200:
            failures.append((file, v, r.status, t.decode('utf-8', 'replace')))
            return
        h = json.loads(t)['hash']
        acked.append(v)


try:
    check(all(up(pt) for pt in ports), 'both servers answer')
    acked, failures = ([], []), []
    jobs = [threading.Thread(target=stream, args=(18301, 'y_te.csv', 'tay_chan_mieng', 1000, acked[0], failures)),
            threading.Thread(target=stream, args=(18302, 'tai_chinh.csv', 'thu_nsdp', 5000, acked[1], failures))]
    t0 = time.time()
    [j.start() for j in jobs]
    [j.join() for j in jobs]
    print(f'{len(acked[0]) + len(acked[1])} edits in {time.time() - t0:.1f} s')
    check(not failures, f'every edit acknowledged {failures[:1]}')
finally:
    for s in servers:
        s.terminate()
    time.sleep(1)
entries = [json.loads(l) for l in open(f'{p}/data/2026-02/nhat-ky.jsonl', encoding='utf-8') if l.strip()]
for file, code, values in [('y_te.csv', 'tay_chan_mieng', acked[0]), ('tai_chinh.csv', 'thu_nsdp', acked[1])]:
    logged = [c['moi'] for e in entries if e['tep'].endswith(file) for c in e.get('o', [])]
    check(logged == values, f'{file}: the log holds the {len(values)} acknowledged edits in save order')
    text = open(f'{p}/data/2026-02/{file}', encoding='utf-8').read()
    last = values[-1] if values else None
    check(last is not None and any(l.startswith(code + ',') and f',{last},' in l for l in text.splitlines()),
          f'{file}: the file holds the last acknowledged value {last}')
switches = sum(1 for a, b in zip(entries, entries[1:]) if a['tep'] != b['tep'])
check(switches > 10, f'the two streams interleaved in the log ({switches} switches)')
done()
