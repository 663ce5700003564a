"""Warm kernels: each grading worker keeps one template process that has imported ipykernel, pandas and the modules
the assignment's locked cells import, and forks a fresh kernel from it for every submission.

A kernel started the usual way spends most of its CPU on starting Python and importing (ipykernel, pandas, the
course); on 2 cores that is CPU the other worker needs. Forking a template that did the imports once costs a few
milliseconds, and each kernel is still a process of its own that starts from the template's pristine state: the
template never runs a learner's code, only imports.

    python -m course.instructor.warm_kernel serve SOCKET MODULE...     (the template; started by the grading worker)
    python -I -S warm_launcher.py SOCKET -f CONNECTION_FILE ...         (the kernelspec's command; see kernelspec())

jupyter_client starts the launcher as "the kernel": the launcher asks the template for a kernel, forwards signals
(interrupts) to it and exits when it exits; the kernel exits when the launcher is killed. If the template is not
there, the launcher runs an ordinary kernel instead. Before restarting a kernel (which reuses its ports) the executor
kills the template's kernels (kill_kernels).
"""

import atexit
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

KERNEL_NAME = "course-warm"
LAUNCHER = Path(__file__).with_name("warm_launcher.py")
# what `import course` and ipywidgets do when they find a shell; run again in each kernel once its shell exists
SHELL_HOOKS = (("course.notebook_errors", "install"), ("ipywidgets", "_handle_ipython"))
NEVER_PRELOAD = ("matplotlib.pyplot", "matplotlib_inline")  # the inline backend registers itself with a shell


def kernelspec(folder, socket_path):
    """Write the kernelspec KERNEL_NAME under folder/kernels (put folder on JUPYTER_PATH)."""
    spec = Path(folder) / "kernels" / KERNEL_NAME
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-I", "-S", str(LAUNCHER), str(socket_path), "-f", "{connection_file}"],
        "display_name": "Python 3 (course grading, warm)", "language": "python", "interrupt_mode": "signal",
        "metadata": {"debugger": False}}))
    return spec


def _watch(pid):
    """Exit this kernel as soon as process pid (its launcher) is gone."""
    from .warm_launcher import wait_for_exit

    def run():
        wait_for_exit(pid)
        os._exit(1)

    threading.Thread(target=run, daemon=True, name="course-launcher-watch").start()


def _kernel(request):
    """In the forked child: become the kernel the launcher asked for."""
    os.setsid()
    if sys.path and sys.path[0] == os.getcwd():  # as `python -m ipykernel_launcher` started in the kernel's folder
        sys.path[0] = request["cwd"]
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    connection_file = request["connection_file"]
    _watch(request["launcher"])
    signal.signal(signal.SIGINT, signal.default_int_handler)
    from ipykernel.kernelapp import IPKernelApp

    sys.argv = [sys.executable, "-m", "ipykernel_launcher", *request["argv"]]
    app = IPKernelApp.instance()
    app.initialize(request["argv"])  # -f CONNECTION_FILE and e.g. --HistoryManager.hist_file=:memory:
    for module, name in SHELL_HOOKS:
        if module in sys.modules:
            getattr(sys.modules[module], name)()
    app.start()


def _reap(signum, frame):
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _pristine_copies():
    """Private copies of the course modules, executed from their files here, for the kernel guard's restore (it would
    make them in each kernel otherwise). The guard takes them out of sys.modules at install, before learner code."""
    import importlib.util
    import types

    copies = {}
    for name in sorted(n for n in sys.modules if n == "course" or n.startswith("course.")):
        try:
            spec = importlib.util.find_spec(name)
            copy = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(copy)
        except Exception:  # the guard makes this copy itself if it needs it
            continue
        copies[name] = copy
    holder = types.ModuleType("_course_pristine")
    holder.copies = copies
    sys.modules["_course_pristine"] = holder


def serve(socket_path, modules):
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")  # as ipykernel sets it
    import importlib

    import ipykernel.ipkernel  # noqa: F401
    import ipykernel.kernelapp  # noqa: F401

    for name in modules:
        if not name.startswith(NEVER_PRELOAD):
            try:
                importlib.import_module(name)
            except Exception:  # the kernel will report it when the notebook imports it
                pass
    assert not any(m in sys.modules for m in NEVER_PRELOAD), "a preloaded module imported pyplot"
    _pristine_copies()
    signal.signal(signal.SIGCHLD, _reap)  # waited for, so that their CPU time counts (bench/grading.py)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    server.bind(socket_path)
    server.listen(8)
    print(json.dumps({"ready": True}), flush=True)
    while True:
        connection, _ = server.accept()
        with connection:
            message, fds, _, _ = socket.recv_fds(connection, 1 << 20, 3)
            request = json.loads(message)
            pid = os.fork()
            if pid == 0:
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                server.close()
                connection.close()
                for target, fd in enumerate(fds):  # the launcher's stdin, stdout and stderr
                    os.dup2(fd, target)
                try:
                    _kernel(request)
                finally:
                    os._exit(0)
            for fd in fds:
                os.close(fd)
            connection.sendall(json.dumps({"pid": pid}).encode("utf-8"))


def preload_modules(notebooks):
    """The modules the locked cells of these notebooks import (course modules and their libraries)."""
    import ast

    import nbformat

    from .graded_cells import locked_imports

    names = ["pandas", "numpy", "IPython", "course"]
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        for node in ast.parse(locked_imports(nb.cells)).body:
            if isinstance(node, ast.Import):
                names += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.append(node.module)
    return list(dict.fromkeys(names))


class Template:
    """The worker's side: start the template, write the kernelspec, put it on JUPYTER_PATH."""

    def __init__(self, modules):
        """Start the template (it imports while the worker loads nbgrader); wait_ready() before the first kernel."""
        self.folder = tempfile.mkdtemp(prefix="course-warm-")
        self.socket = os.path.join(self.folder, "template.sock")
        self.proc = subprocess.Popen([sys.executable, "-m", "course.instructor.warm_kernel", "serve", self.socket,
                                      *modules], stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, cwd=self.folder)
        self.ready = False
        kernelspec(self.folder, self.socket)
        os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (self.folder, os.environ.get("JUPYTER_PATH")) if p)
        atexit.register(self.stop)

    def wait_ready(self):
        """Block until the template listens; if it failed, the launcher runs ordinary kernels (slower, same results)."""
        if not self.ready:
            line = self.proc.stdout.readline()
            self.ready = True
            if not line or not json.loads(line).get("ready"):
                print("warm kernel template did not start: ordinary kernels", file=sys.stderr)

    def kill_kernels(self):
        """Kill every kernel forked from the template and wait for them to be gone."""
        import psutil

        try:
            kernels = psutil.Process(self.proc.pid).children()
        except psutil.Error:
            return
        for kernel in kernels:
            try:
                kernel.kill()
            except psutil.Error:
                pass
        psutil.wait_procs(kernels, timeout=5)

    def stop(self):
        if self.proc.poll() is None:
            self.kill_kernels()
            self.proc.terminate()  # SIGTERM: it exits after reaping its kernels
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        try:
            os.unlink(self.socket)
        except OSError:
            pass


TEMPLATE = []  # the worker's Template, when warm kernels are on


def start(notebooks):
    TEMPLATE.append(Template(preload_modules(notebooks)))
    return KERNEL_NAME


def wait_ready():
    for template in TEMPLATE:
        template.wait_ready()


def kill_kernels():
    for template in TEMPLATE:
        template.kill_kernels()


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2], sys.argv[3:])
