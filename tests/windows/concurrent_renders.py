"""Eight Windows processes render one report and period at once, each with its
own data, into one out/ folder: eight versions, each PDF matching its manifest
and its data (issue 12, acceptance 2, on Windows)."""
import glob, hashlib, json, os, shutil, subprocess
from common import WORK, baocao, check, done, project, win

out = os.path.join(WORK, 'out8')
shutil.rmtree(out, ignore_errors=True)
dirs = []
for i in range(8):
    d = project(f'p{i}')
    f = os.path.join(d, 'data/2026-02/nong_nghiep.csv')
    t = open(f, encoding='utf-8').read()
    open(f, 'w', encoding='utf-8').write(t.replace('84.860', f'84.86{i}'))
    dirs.append(d)
procs = [baocao('--du-an', win(d), 'render', '--out', win(out), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for d in dirs]
codes = [p.wait() for p in procs]
check(codes == [0] * 8, f'eight renders exit 0: {codes}')
h = os.path.join(out, 'lich-su/bao-cao-thang/2026-02')
manifests = [json.load(open(m, encoding='utf-8')) for m in sorted(glob.glob(h + '/*.json'))]
check([m['phien_ban'] for m in manifests] == list(range(1, 9)), 'versions 1..8')
figures = set()
for m in manifests:
    pdf = open(os.path.join(h, f"{m['phien_ban']:03}.pdf"), 'rb').read()
    check(hashlib.sha256(pdf).hexdigest() == m['sha256_pdf'], f"version {m['phien_ban']}: PDF matches its manifest")
    figures.add(dict(map(tuple, m['so_lieu']))['nong_nghiep.dan_trau'])
check(len(figures) == 8, f'eight data sets, eight versions: {sorted(figures)}')
latest = hashlib.sha256(open(os.path.join(out, 'bao-cao-thang-2026-02.pdf'), 'rb').read()).hexdigest()
check(latest == manifests[-1]['sha256_pdf'], 'the latest PDF is the newest version')
check(sorted(os.listdir(h)) == sorted(f'{n:03}.{e}' for n in range(1, 9) for e in ('json', 'pdf', 'txt')), 'no leftovers')
done()
