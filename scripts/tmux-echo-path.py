#!/usr/bin/env python3
# Key-to-echo time on the server side alone, without ssh or Node.js: how much the invisible session's path costs
# over an attached tmux client. A private tmux server runs `cat` in a pane; 150 times a key is sent and the time until
# its echo comes back is taken, (a) through an attached tmux client in a pty (what `ssh -t host tmux` does) and
# (b) as tether does: `send-keys -H` written to a control-mode client (`refresh-client -f no-output`), the echo read
# from `tail -f` of the pane's log written through pipe-pane by `split --filter` and `cat` (remote/control-scripts.ts);
# and (c) as (b) with `cat` alone writing the log (no segments: what split's extra process costs).
# Python, not Node.js, so that the harness adds as little as it can to what it measures.
# usage: python3 scripts/tmux-echo-path.py [rounds]      (needs tmux, GNU split and tail)
import os, pty, select, shutil, subprocess, sys, tempfile, time

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 150


def tmux(sock):
    return ['tmux', '-L', sock, '-f', '/dev/null']


def drain(fd):
    while select.select([fd], [], [], 0)[0]:
        if not os.read(fd, 65536):
            return


def timed(send, fd, expect=None):
    lat = []
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        send()
        got = b''
        while expect is None or expect not in got:
            if not select.select([fd], [], [], 2)[0]:
                raise SystemExit('no echo within 2 s')
            got += os.read(fd, 65536)
            if expect is None:
                break
        lat.append((time.perf_counter() - t0) * 1000)
        time.sleep(0.02)
        drain(fd)
    lat.sort()
    return lat[len(lat) // 2], lat[int(len(lat) * 0.9)]


def attached():
    sock = 'echo-att-%d' % os.getpid()
    subprocess.run(tmux(sock) + ['new-session', '-d', '-s', 's', '-x', '80', '-y', '24', 'cat'], check=True)
    subprocess.run(tmux(sock) + ['set', '-g', 'status', 'off'], check=True)
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp('tmux', tmux(sock) + ['attach', '-t', 's'])
    try:
        time.sleep(0.7)
        drain(fd)
        return timed(lambda: os.write(fd, b'a'), fd)
    finally:
        subprocess.run(tmux(sock) + ['kill-server'])
        os.waitpid(pid, 0)


def control_and_log(split=True):
    sock = 'echo-ctl-%d' % os.getpid()
    d = tempfile.mkdtemp()
    seg = os.path.join(d, 'seg')
    open(seg, 'w').close()
    subprocess.run(tmux(sock) + ['new-session', '-d', '-s', 's', '-x', '80', '-y', '24', 'cat'], check=True)
    writer = "exec split -b 16777216 -a 6 -d --filter='exec cat >> %s' -" % seg if split else 'exec cat >> %s' % seg
    subprocess.run(tmux(sock) + ['pipe-pane', '-O', '-t', 's', writer], check=True)
    ctl = subprocess.Popen(tmux(sock) + ['-C', 'attach', '-t', 's'], stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
    tail = subprocess.Popen(['tail', '-c', '+1', '-s', '0.05', '-f', seg], stdout=subprocess.PIPE, bufsize=0)
    try:
        time.sleep(0.5)
        ctl.stdin.write(b'refresh-client -f no-output\n')
        time.sleep(0.3)
        drain(ctl.stdout.fileno())
        send = lambda: ctl.stdin.write(b'send-keys -t s -H 61\n')
        return timed(send, tail.stdout.fileno())
    finally:
        tail.kill()
        ctl.kill()
        subprocess.run(tmux(sock) + ['kill-server'])
        shutil.rmtree(d, ignore_errors=True)


for name, run in (
    ('attached tmux client', attached),
    ('control client + pipe-pane log + tail -f', control_and_log),
    ('the same with cat alone writing the log', lambda: control_and_log(split=False)),
):
    median, p90 = run()
    print('%-42s median %.3f ms  p90 %.3f ms  (%d keys)' % (name, median, p90, ROUNDS))
