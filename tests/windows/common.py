"""Shared set-up of the Windows checks: the .exe under Wine on a scratch copy of the project."""
import os, shutil, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = os.environ.get('WORK', '/tmp/baocao-windows')
EXE = os.path.join(WORK, 'baocao.exe')
ENV = dict(os.environ, WINEDEBUG='-all', WINEPREFIX=os.path.join(WORK, 'wine'),
           PATH=os.environ['PATH'] + ':/usr/lib/wine')


def win(path):
    """A Linux path as Wine's Z: drive path."""
    return 'Z:' + path.replace('/', '\\')


def project(name):
    """A fresh copy of the committed project (no out/) under WORK."""
    d = os.path.join(WORK, name)
    shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(os.path.join(WORK, 'project'), d)
    return d


def baocao(*args, **kw):
    return subprocess.Popen(['wine64', EXE, *args], env=ENV, **kw)


def check(ok, what):
    print(('ok    ' if ok else 'FAILED ') + what)
    if not ok:
        check.failed = True
check.failed = False


def done():
    sys.exit(1 if check.failed else 0)
