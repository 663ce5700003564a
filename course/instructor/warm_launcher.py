"""The command of the warm kernelspec (warm_kernel.py): `python -I -S warm_launcher.py SOCKET -f CONNECTION_FILE ...`.

Standard library only, so that it starts in milliseconds. It asks the template for a kernel (handing over its own
stdin, stdout and stderr), forwards interrupts and termination to it, and exits when the kernel exits. Without a template it runs an ordinary kernel in its place.
"""

import json
import os
import select
import signal
import socket
import sys


def main():
    socket_path, arguments = sys.argv[1], sys.argv[2:]  # -f CONNECTION_FILE and the executor's extra arguments
    connection_file = arguments[arguments.index("-f") + 1]
    request = {"cwd": os.getcwd(), "env": dict(os.environ), "connection_file": connection_file, "argv": arguments,
               "launcher": os.getpid()}
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as s:
            s.connect(socket_path)
            socket.send_fds(s, [json.dumps(request).encode("utf-8")], [0, 1, 2])  # the kernel's stdin/out/err
            pid = json.loads(s.recv(4096))["pid"]
    except (OSError, ValueError, KeyError):
        os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *arguments])

    def forward(signum, frame):
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(signum, forward)
    wait_for_exit(pid)


def wait_for_exit(pid):
    """Return when process pid has exited (a pidfd turns readable; without pidfd_open, poll every 50 ms)."""
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        fd = None
    while True:
        if fd is not None:
            if select.select([fd], [], [])[0]:
                return
            continue
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        select.select([], [], [], 0.05)

if __name__ == "__main__":
    main()
