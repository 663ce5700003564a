"""The grading guard that runs inside a learner's kernel while `course grade` executes the submission.

guarded_execute.py sends this file's source to each new kernel before the first cell and calls `install(...)`.
It uses the standard library only, and keeps its state in the closure of an audit hook (PEP 578), which Python code
cannot remove. While the submission runs:

- reading or listing anything in the course folder (sources with hidden tests, the gradebook, other learners' work)
  outside the learner's own folder fails, and so do external commands and ctypes, which could get around that;
- the answer records the learner submitted cannot be written, replaced or deleted (they are what is graded);
- the __code__ of a course function cannot be replaced (Python raises no audit event for other class or module
  attribute assignments, so those are undone instead:)
- before each graded cell the executor asks for a "restore": course functions and classes replaced in their modules,
  methods replaced or added on course classes, names bound by locked cells (e.g. `load_profile`) and builtins are
  put back. The hook writes a confirmation with
  the executor's nonce to a log file; a graded cell without that confirmation is not trusted (guarded_execute.py).

- the IPython shell is put back too, before each graded and each locked cell: display formatters and display hooks,
  automatic display of the last expression, input and AST transformers, custom exception handlers, event callbacks,
  methods of IPython's and ipykernel's classes, trace and profile hooks. A change made by library code (a file of the
  Python installation or of the course, e.g. matplotlib's figure formatter) is kept; any other is undone and logged;
- "export" writes the learner's answers that a graded cell's scoring part needs, as plain data (course/rubric/
  grading.py, a private copy loaded at install), to the log for the executor. The score itself is never computed in
  this process (scorer.py).

Every refusal is written to the same log, so the instructor sees it as a 要確認 flag. A learner who knows Python's
internals well could still get past an in-process guard; the flags and the instructor's review are the last line.
"""

MAX_EXPORT = 50_000_000  # characters of exported answers (a learner's value could be any size)
MESSAGE = "採点中はこの操作はできません / Not allowed while grading: "
AUDIT_EVENT = "course.guard"
FILE_EVENTS = {"open", "os.listdir", "os.scandir", "glob.glob", "os.rename", "os.remove", "os.rmdir", "os.truncate",
               "os.chmod", "os.chown", "os.link", "os.symlink", "shutil.copyfile", "shutil.rmtree", "os.utime"}
KERNEL_BUILTINS = {"input", "raw_input", "display", "get_ipython"}  # ipykernel may rebind these per request
COMMAND_EVENTS = {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "pty.spawn",
                  "ctypes.dlopen", "ctypes.dlsym", "ctypes.cdata", "sys.addaudithook"}


def install(protected, own_dir, frozen, log_path, package_dir):
    import builtins
    import functools
    import importlib.util
    import json
    import os
    import sys
    import threading
    import types

    realpath, fsdecode, write, sep = os.path.realpath, os.fsdecode, os.write, os.sep
    modules_dict = sys.modules  # the interpreter's own dict, even if the learner rebinds sys.modules
    getframe, getmodules = sys._getframe, (lambda: dict(modules_dict))  # a copy, to iterate
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
    log = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    protected = tuple(realpath(p) for p in protected)
    own = realpath(own_dir)
    frozen = frozenset(realpath(p) for p in frozen)
    package_dir = realpath(package_dir)
    builtins_snapshot = dict(builtins.__dict__)
    locked_names = {}     # user-namespace name -> ("module", name) or ("attr", module name, attribute name)
    # module name -> a private, freshly executed copy (the pristine definitions); a warm kernel's template made them
    # for the modules it preloaded (warm_kernel.py), before any learner code ran: take them out of sight
    fresh_modules = dict(getattr(sys.modules.pop("_course_pristine", None), "copies", {}))
    busy = set()          # threads inside the hook (its own file checks must not call it again)
    get_ident = threading.get_ident
    thread_time = __import__("time").thread_time
    spent = [0.0]         # CPU seconds inside the hook (the bench reports the guard's share)

    def note(kind, detail):
        write(log, (kind + "\t" + str(detail).replace("\n", " ")[:300] + "\n").encode("utf-8", "replace"))

    def write_all(data):
        while data:
            data = data[write(log, data):]

    def inside(path, root):
        return path == root or path.startswith(root + sep)

    def deny(kind, detail):
        note(kind, detail)
        raise PermissionError(MESSAGE + str(detail))

    def check(path, writing):
        if path is None or isinstance(path, int):
            return
        try:
            real = realpath(fsdecode(path))
        except (TypeError, ValueError):
            return
        if writing and real in frozen:
            deny("record-write", real)
        if inside(real, own):
            return
        if any(inside(real, root) for root in protected):
            deny("outside-read", real)

    def is_course_module(module):
        return module.__name__ == "course" or module.__name__.startswith("course.")

    def is_course(obj):
        name = getattr(obj, "__module__", None) or ""
        return name == "course" or name.startswith("course.")

    def origin(obj):
        seen = 0
        while hasattr(obj, "__wrapped__") and seen < 10:
            obj, seen = obj.__wrapped__, seen + 1
        code = getattr(obj, "__code__", None)
        if code is not None:
            return "code", code.co_filename, getattr(obj, "__qualname__", "")
        if isinstance(obj, type):
            return "class", obj.__module__, obj.__qualname__
        return "other", type(obj).__module__, type(obj).__qualname__

    def fresh(name, module):
        if name not in fresh_modules:
            spec = importlib.util.find_spec(name)
            copy = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(copy)
            fresh_modules[name] = copy
        return fresh_modules[name]

    def in_package(module):
        path = getattr(module, "__file__", None)
        return bool(path) and inside(realpath(path), package_dir)

    def rebound(func, module):
        """func's code with the live module's globals (the fresh copy's globals are private)."""
        if not isinstance(func, types.FunctionType):
            return func
        new = types.FunctionType(func.__code__, module.__dict__, func.__name__, func.__defaults__, func.__closure__)
        new.__kwdefaults__, new.__qualname__ = func.__kwdefaults__, func.__qualname__
        return new

    def descriptor(value, module):
        if isinstance(value, (classmethod, staticmethod)):
            return type(value)(rebound(value.__func__, module))
        if isinstance(value, property):
            return property(*(rebound(f, module) if f else None for f in (value.fget, value.fset, value.fdel)))
        return rebound(value, module)

    def inner(value):
        if isinstance(value, (classmethod, staticmethod)):
            return value.__func__
        if isinstance(value, property):
            return value.fget
        return value

    def from_cell(value):
        code = getattr(inner(value), "__code__", None)
        filename = code.co_filename if code is not None else ""
        return bool(filename) and not filename.startswith("<") and not inside(realpath(filename), package_dir)

    def restore_class(label, current, good, module):
        """Methods of a course class: back to the definitions in its file; methods added from a cell removed."""
        restored = []
        for attr, value in list(vars(good).items()):
            if not (callable(inner(value)) and hasattr(inner(value), "__code__")):
                continue
            now = current.__dict__.get(attr)
            if now is None or origin(inner(now)) != origin(inner(value)) or type(now) is not type(value):
                type.__setattr__(current, attr, descriptor(value, module))
                restored.append(f"{label}.{attr}")
        for attr, value in list(vars(current).items()):
            if attr not in vars(good) and from_cell(value):
                type.__delattr__(current, attr)
                restored.append(f"{label}.{attr}")
        return restored

    def restore_own(name, module):
        """Functions and classes defined in the module itself: back to the definitions in its file."""
        restored, pristine = [], fresh(name, module)
        for attr, good in vars(pristine).items():
            if attr.startswith("__") or not callable(good) or getattr(good, "__module__", None) != name:
                continue
            current = module.__dict__.get(attr)
            if current is not None and origin(current) == origin(good):
                if isinstance(current, type) and isinstance(good, type):
                    restored += restore_class(f"{name}.{attr}", current, good, module)
                continue
            module.__dict__[attr] = rebound(good, module) if isinstance(good, types.FunctionType) else good
            restored.append(name + "." + attr)
        return restored

    def restore_imported(name, module):
        """Course names a module imported from another course module: the same object as in that module."""
        restored, modules = [], modules_dict
        for attr, good in vars(fresh(name, module)).items():
            home = getattr(good, "__module__", None)
            qualname = getattr(good, "__qualname__", "")
            if attr.startswith("__") or not callable(good) or not is_course(good) or home == name or "." in qualname:
                continue
            expected = getattr(modules.get(home), qualname, None)
            if expected is not None and module.__dict__.get(attr) is not expected:
                module.__dict__[attr] = expected
                restored.append(name + "." + attr)
        return restored

    def restore(user_ns):
        restored = []
        for name, value in builtins_snapshot.items():  # first: the module copies below run on the builtins
            if name in KERNEL_BUILTINS or name.startswith("_"):
                continue
            if builtins.__dict__.get(name) is not value:
                builtins.__dict__[name] = value
                restored.append("builtins." + name)
        course_modules = [(name, module) for name, module in getmodules().items()
                          if isinstance(module, types.ModuleType) and is_course_module(module) and in_package(module)]
        for step in (restore_own, restore_imported):
            for name, module in course_modules:
                try:
                    restored += step(name, module)
                except Exception as exc:  # a module that cannot be copied is left as it is, and said so
                    note("restore-failed", f"{name}: {type(exc).__name__}")
        for name, where in locked_names.items():
            modules = modules_dict
            if where[0] == "module":
                good = modules.get(where[1])
            else:
                good = getattr(modules.get(where[1]), where[2], None)
            if good is not None and user_ns.get(name) is not good:
                user_ns[name] = good
                restored.append(name)
        return restored

    def remember_locked_names(user_ns):
        for name, value in list(user_ns.items()):
            if name in locked_names or name.startswith("_"):
                continue
            if isinstance(value, types.ModuleType) and is_course_module(value):
                locked_names[name] = ("module", value.__name__)
            elif callable(value) and is_course(value) and getattr(value, "__qualname__", "") and "." not in value.__qualname__:
                locked_names[name] = ("attr", value.__module__, value.__qualname__)


    # -- the IPython shell ------------------------------------------------------------------------------------------
    trusted_dirs = tuple({realpath(p) for p in (sys.prefix, sys.base_prefix, package_dir)})
    shell = sys.modules["IPython"].get_ipython() if "IPython" in sys.modules else None
    shell_state = {}

    def code_file(value):
        seen = 0
        while seen < 10:
            seen += 1
            if isinstance(value, functools.partial):
                value = value.func
            elif hasattr(value, "__func__"):
                value = value.__func__
            elif hasattr(value, "__wrapped__"):
                value = value.__wrapped__
            else:
                break
        code = getattr(value, "__code__", None)
        if code is not None:
            return code.co_filename
        if callable(value) and not isinstance(value, (type, types.BuiltinFunctionType)):
            module = modules_dict.get(type(value).__module__)
            return getattr(module, "__file__", None)
        return None

    def from_library(value):
        """Code in a file of the Python installation or the course (not from a notebook cell, not a bare value)."""
        path = code_file(value)
        if not path or path.startswith("<"):
            return False
        real = realpath(path)
        return any(inside(real, d) for d in trusted_dirs) and os.path.isfile(real)

    def shell_objects():
        s = shell
        objects = [s, getattr(s, "kernel", None), s.displayhook, s.display_pub, s.display_formatter, s.compile,
                   s.events, s.input_transformer_manager]
        formatter = s.display_formatter
        objects += [formatter.ipython_display_formatter, formatter.mimebundle_formatter]
        objects += list(formatter.formatters.values())
        return [o for o in objects if o is not None]

    def shell_attrs():
        s, formatter = shell, shell.display_formatter
        names = [(s, n) for n in ("ast_node_interactivity", "displayhook", "display_pub", "display_formatter", "compile",
                                  "events", "input_transformer_manager", "input_transformers_cleanup",
                                  "input_transformers_post", "ast_transformers", "custom_exceptions", "CustomTB",
                                  "display_trap")]
        names += [(formatter, n) for n in ("formatters", "ipython_display_formatter", "mimebundle_formatter",
                                           "active_types")]
        for f in formatter.formatters.values():
            names += [(f, n) for n in ("enabled", "type_printers", "deferred_printers", "singleton_printers",
                                       "pprint", "float_precision")]
        names += [(shell.input_transformer_manager, n) for n in ("cleanup_transforms", "line_transforms",
                                                                  "token_transformers")]
        names += [(shell.events, "callbacks"), (shell.display_trap, "hook"), (sys, "displayhook")]
        return [(o, n) for o, n in names if hasattr(o, n)]

    def shell_containers():
        s, formatter = shell, shell.display_formatter
        containers = [("input_transformers_cleanup", s.input_transformers_cleanup),
                      ("input_transformers_post", s.input_transformers_post), ("ast_transformers", s.ast_transformers),
                      ("formatters", formatter.formatters), ("events", s.events.callbacks)]
        manager = s.input_transformer_manager
        containers += [(n, getattr(manager, n)) for n in ("cleanup_transforms", "line_transforms", "token_transformers")
                       if hasattr(manager, n)]
        containers += [(f"events.{k}", v) for k, v in s.events.callbacks.items()]
        for mime, f in formatter.formatters.items():
            containers += [(f"{mime}.{n}", getattr(f, n)) for n in ("type_printers", "deferred_printers",
                                                                    "singleton_printers") if hasattr(f, n)]
        return containers

    def shell_classes():
        classes = []
        for obj in shell_objects():
            for cls in type(obj).__mro__:
                if cls.__module__.split(".")[0] in ("IPython", "ipykernel") and cls not in classes:
                    classes.append(cls)
        return classes

    def hooks():
        return {"sys.settrace": sys.gettrace(), "sys.setprofile": sys.getprofile(),
                "threading.settrace": getattr(threading, "_trace_hook", None),
                "threading.setprofile": getattr(threading, "_profile_hook", None)}

    def snapshot_shell():
        if shell is None:
            return
        shell_state["attrs"] = [(o, n, getattr(o, n)) for o, n in shell_attrs()]
        shell_state["containers"] = [(label, c, dict(c) if isinstance(c, dict) else list(c))
                                     for label, c in shell_containers()]
        shell_state["classes"] = [(cls, dict(vars(cls))) for cls in shell_classes()]
        shell_state["instances"] = [(o, set(vars(o)) if hasattr(o, "__dict__") else set()) for o in shell_objects()]
        shell_state["hooks"] = hooks()

    def same(a, b):
        return a is b or (type(a) in (str, int, bool, float, tuple, type(None)) and type(a) is type(b) and a == b)

    def restore_shell():
        """Put the shell back as the snapshot has it; library changes are kept. Returns what was undone."""
        if shell is None or not shell_state:
            return []
        undone = []
        for cls, good in shell_state["classes"]:
            now = dict(vars(cls))
            for name in set(good) | set(now):
                if name in ("__dict__", "__weakref__", "__doc__", "__abstractmethods__", "_abc_impl"):
                    continue
                if name not in now:
                    type.__setattr__(cls, name, good[name])
                elif name not in good:
                    type.__delattr__(cls, name)
                elif now[name] is good[name]:
                    continue
                else:
                    type.__setattr__(cls, name, good[name])
                undone.append(f"{cls.__qualname__}.{name}")
        for obj, names in shell_state["instances"]:
            for name in set(getattr(obj, "__dict__", {})) - names:
                if callable(getattr(type(obj), name, None)) and callable(obj.__dict__[name]):
                    del obj.__dict__[name]
                    undone.append(f"{type(obj).__name__}.{name}")
        for i, (obj, name, good) in enumerate(shell_state["attrs"]):
            now = getattr(obj, name, None)
            if same(now, good):
                continue
            if from_library(now):  # e.g. a formatter set up by matplotlib when the learner imports pyplot
                shell_state["attrs"][i] = (obj, name, now)
                continue
            try:
                setattr(obj, name, good)
            except Exception:
                object.__setattr__(obj, name, good)
            undone.append(f"{type(obj).__name__}.{name}")
        for label, container, good in shell_state["containers"]:
            moved = label.endswith("deferred_printers")  # IPython moves these to type_printers when first used
            if isinstance(container, dict):
                changed = False
                for key, value in list(container.items()):
                    if key in good and same(value, good[key]):
                        continue
                    if from_library(value):
                        good[key] = value
                    else:
                        changed = True
                for key in [k for k in good if k not in container]:
                    if moved:
                        del good[key]
                    else:
                        changed = True
                if changed:
                    container.clear()
                    container.update(good)
                    undone.append(label)
            else:
                good += [v for v in container if not any(v is g for g in good) and from_library(v)]
                if len(container) != len(good) or any(v is not g for v, g in zip(container, good)):
                    if not (sorted(map(id, container)) == sorted(map(id, good))):
                        undone.append(label)
                    container[:] = good
        for name, good in shell_state["hooks"].items():
            now = hooks()[name]
            if now is good:
                continue
            if name == "sys.settrace":
                sys.settrace(good)
            elif name == "sys.setprofile":
                sys.setprofile(good)
            elif name == "threading.settrace":
                threading.settrace(good)
            else:
                threading.setprofile(good)
            undone.append(name)
        return undone

    # -- answers as plain data for the scorer ---------------------------------------------------------------------
    plain_spec = importlib.util.find_spec("course.answers.plain")
    plain = importlib.util.module_from_spec(plain_spec)
    plain_spec.loader.exec_module(plain)  # a private copy: the learner's code cannot reach or patch it

    def export(user_ns, names):
        answers = {}
        for name in names:
            if name not in user_ns:
                answers[name] = {"missing": "undefined"}
                continue
            try:
                answers[name] = {"plain": plain.to_plain(user_ns[name])}
            except Exception as exc:  # a function, a custom class, a too-large value: not an answer
                answers[name] = {"missing": "not_plain", "type": type(exc).__name__ + ": " + str(exc)[:100]}
        text = json.dumps(answers, ensure_ascii=True, allow_nan=True)
        if len(text) > MAX_EXPORT:
            text = json.dumps({name: {"missing": "not_plain", "type": "too large"} for name in names})
        return text

    def initializing(obj):
        module = modules_dict.get(getattr(obj, "__module__", None) or "")
        return module is None or bool(getattr(getattr(module, "__spec__", None), "_initializing", False))

    def on_setattr(obj, name):
        if initializing(obj):
            return  # a module being imported defines its classes (dataclasses set attributes then)
        if name == "__code__" and is_course(obj):
            deny("patch", f"{getattr(obj, '__module__', '')}.{getattr(obj, '__qualname__', '')}.__code__")

    def hook(event, args):
        started = thread_time()
        me = get_ident()
        if me in busy or not (event in FILE_EVENTS or event in COMMAND_EVENTS or event == AUDIT_EVENT
                        or event == "object.__setattr__" or event == "object.__delattr__"):
            spent[0] += thread_time() - started
            return
        busy.add(me)
        try:
            if event == "open":
                path, mode, flags = (list(args) + [None, None])[:3]
                writing = bool(mode and any(c in str(mode) for c in "wax+")) or bool(
                    isinstance(flags, int) and flags > 0 and flags & write_flags)
                check(path, writing)
            elif event in ("os.listdir", "os.scandir", "glob.glob"):
                check(args[0] if args else None, False)
            elif event in ("os.rename", "os.link", "shutil.copyfile"):
                check(args[0], event == "os.rename")
                check(args[1], True)
            elif event == "os.symlink":
                check(args[0], False)
                check(args[1], True)
            elif event in FILE_EVENTS:
                check(args[0] if args else None, True)
            elif event in COMMAND_EVENTS:
                deny("command", event)
            elif event in ("object.__setattr__", "object.__delattr__"):
                on_setattr(args[0], args[1])
            elif event == AUDIT_EVENT:
                action, nonce = args[0], args[1]
                user_ns = getframe(1).f_globals
                if action == "restore":
                    for name in restore(user_ns):
                        note("restored", name)
                    for name in restore_shell():
                        note("shell", name)
                    note("confirm", nonce)
                elif action == "locked":
                    remember_locked_names(user_ns)
                    snapshot_shell()  # what a locked cell (instructor code) set up is part of the shell now
                    note("confirm", nonce)
                elif action == "stats":
                    note("stats", f"{spent[0]:.6f}")
                    note("confirm", nonce)
                elif action == "export":
                    write_all(("export\t" + nonce + "\t" + export(user_ns, args[2]) + "\n").encode("utf-8"))
                    note("confirm", nonce)
        finally:
            busy.discard(me)
            spent[0] += thread_time() - started

    snapshot_shell()
    sys.addaudithook(hook)
    note("installed", own)
