"""Re-verify a page or gallery script whenever the code it depends on changes.

MyST-NB's ``cache`` mode re-executes a page only when the page's own code
cells change, and sphinx-gallery re-runs a script only when the script's own
MD5 changes. Neither notices an edit to ``conv_explained/`` that every page
imports, so a rebuild would show outputs that were verified against older
code. This extension derives, from the code itself, the set of files each
executed page and each gallery script depends on, and ties the page or script
to the digest of those files:

* **Dependencies.** The ``import`` statements of a page's code cells (or of a
  gallery script) are parsed with :mod:`ast`; every first-party module they
  name (found under the repository by :class:`importlib.machinery.PathFinder`,
  without importing it) is followed in turn, through its own imports, the
  ``__init__.py`` of each package on the way, and
  ``importlib.import_module("...")`` calls with a literal or f-string name.
  Each first-party package brings its data files too: every non-Python file in
  its folder (``probes/results/*.json``, ``conv_explained/_explorer_static/``),
  not descending into sub-packages, which count only when imported.
* **Digest.** SHA-256 over the sorted relative paths and bytes of those files
  (:func:`digest`): the same tree gives the same digest wherever it lies.
* **MyST-NB pages.** At ``source-read`` a hidden ``remove-cell`` code cell is
  put first on the page: it holds the digest (so the execution cache misses
  when a dependency changes), checks that the kernel imports ``conv_explained``
  from this tree, names the page for :func:`conv_explained.verify.set_context`
  and restarts IPython's cell count so that cell numbers in failure messages
  are the page's own. The files are noted as Sphinx dependencies, and
  ``env-get-outdated`` also re-reads every page whose digest changed.
* **Gallery scripts.** Before sphinx-gallery runs (``builder-inited``), a
  script whose stored digest (``<script>.py.code-sha256`` beside its ``.md5``
  in the gallery output) differs from the current one loses its ``.md5``, so
  sphinx-gallery runs it again; the digest is stored only after the script has
  passed. The generated ``.rst`` is re-read when its script's digest changed.
* **One line on failure.** A failing page or script ends the build with one
  line on stderr, after the full traceback that MyST-NB or sphinx-gallery
  logged: where (page and cell, or script and line) and what disagreed.
* **The tree's code.** The build stops, in one line, if Sphinx imported
  ``conv_explained`` from anywhere but this tree.

Configuration (``docs/conf.py``): ``code_digest_roots``, the folders where
first-party top-level modules are looked for (the first one is the tree's
root), and ``code_digest_packages``, the packages that must come from the tree.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.machinery
import json
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

#: Environment variable naming the tree's root for the MyST-NB kernels.
TREE_ENV = "CONV_EXPLAINED_TREE"
#: Suffix of the stored digest beside sphinx-gallery's ``.md5`` files.
GALLERY_SUFFIX = ".code-sha256"
_SKIP_DIRS = {"__pycache__", ".ipynb_checkpoints", ".mypy_cache", ".pytest_cache"}


# --------------------------------------------------------------------------
# Imports named by a piece of code
# --------------------------------------------------------------------------


def _without_magics(code: str) -> str:
    """Notebook code with IPython magics and shell escapes blanked out."""
    return "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line for line in code.splitlines()
    )


_DYNAMIC = re.compile(
    r"""\b(?:import_module|__import__)\(\s*(?P<f>[fF]?)(?P<q>["'])(?P<name>[\w.]*)(?P<rest>[^"'\n]*)(?P=q)"""
)


def _statements(tree: ast.Module) -> Iterable[ast.stmt]:
    """Every statement of ``tree``, nested ones too (imports are statements; expressions are skipped)."""
    stack: list[ast.stmt] = list(tree.body)
    while stack:
        node = stack.pop()
        yield node
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            inner = getattr(node, field, None)
            if isinstance(inner, list):
                for child in inner:
                    if isinstance(child, ast.stmt):
                        stack.append(child)
                    else:  # an except handler or a match case holds statements
                        stack.extend(getattr(child, "body", []))


def imported_names(code: str, *, package: str | None = None) -> tuple[set[str], set[str]]:
    """The module names ``code`` imports, and the name prefixes it imports dynamically.

    Parameters
    ----------
    code : str
        Python source (a module, a script or a notebook cell).
    package : str, optional
        The package ``code`` belongs to, for relative imports (``from .a import b``).

    Returns
    -------
    names : set of str
        Absolute module names; ``from a import b`` gives both ``a`` and ``a.b``
        (``a.b`` counts only if it is a module). ``importlib.import_module("a.b")``
        gives ``a.b``.
    prefixes : set of str
        Prefixes of names passed to ``importlib.import_module`` as f-strings
        (``f"probes.fw_{name}"`` gives ``"probes.fw_"``).

    Raises
    ------
    SyntaxError
        If ``code`` is not Python.
    """
    tree = ast.parse(_without_magics(code))
    names: set[str] = set()
    for node in _statements(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                if not package:
                    continue  # a relative import outside a package: not resolvable
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join([*parts, *([base] if base else [])])
            if base:
                names.add(base)
            names.update(f"{base}.{a.name}" if base else a.name for a in node.names)
    prefixes: set[str] = set()
    for match in _DYNAMIC.finditer(code):
        name = match.group("name")
        if match.group("f") and "{" in match.group("rest"):
            prefixes.add(name)
        elif not match.group("rest") and name:
            names.add(name)
    names.discard("")
    return names, prefixes


# --------------------------------------------------------------------------
# First-party modules and their files
# --------------------------------------------------------------------------


def _is_under(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


class Dependencies:
    """Find the first-party files that a piece of code depends on, transitively.

    Parameters
    ----------
    roots : iterable of path
        Folders searched for first-party top-level modules, in order. The first
        is the tree's root: only modules whose file lies under it count as
        first-party (``numpy`` and ``torch`` are found elsewhere and ignored).
    parsed : dict, optional
        The imports of code already parsed, keyed by the code's SHA-256 (kept
        between builds by the Sphinx extension, so that a no-change rebuild
        parses nothing); filled in as code is parsed.

    Notes
    -----
    Results are cached for the lifetime of the object (one Sphinx build): the
    files are read once, however many pages share them.
    """

    def __init__(
        self,
        roots: Iterable[str | os.PathLike[str]],
        *,
        parsed: dict[str, list[list[str]]] | None = None,
    ) -> None:
        self.roots = [Path(r).resolve() for r in roots]
        if not self.roots:
            raise ValueError("roots must name at least one folder, got none")
        self.root = self.roots[0]
        self.parsed = parsed if parsed is not None else {}
        self.used: set[str] = set()
        self._specs: dict[str, importlib.machinery.ModuleSpec | None] = {}
        self._closure: dict[str, frozenset[Path]] = {}
        self._hashes: dict[Path, bytes] = {}
        self._relative: dict[Path, str] = {}

    # -- modules ----------------------------------------------------------
    def spec(self, name: str) -> importlib.machinery.ModuleSpec | None:
        """The first-party spec of module ``name``, or None (third-party or missing)."""
        if name in self._specs:
            return self._specs[name]
        found: importlib.machinery.ModuleSpec | None = None
        parent, _, _ = name.rpartition(".")
        if not parent:
            found = importlib.machinery.PathFinder.find_spec(name, [str(r) for r in self.roots])
        else:
            outer = self.spec(parent)
            locations = outer.submodule_search_locations if outer is not None else None
            if locations:
                found = importlib.machinery.PathFinder.find_spec(name, list(locations))
        if found is not None:
            where = found.origin if found.has_location else None
            paths = [Path(where)] if where else list(found.submodule_search_locations or [])
            if not paths or not all(_is_under(Path(p).resolve(), self.root) for p in paths):
                found = None
        self._specs[name] = found
        return found

    def _package_files(self, spec: importlib.machinery.ModuleSpec) -> set[Path]:
        """A regular package's data: its non-Python files, not inside sub-packages."""
        if not spec.origin or not spec.submodule_search_locations:
            return set()
        files: set[Path] = set()
        folder = Path(spec.origin).parent
        for here, dirs, names in os.walk(folder):
            dirs[:] = sorted(
                d
                for d in dirs
                if d not in _SKIP_DIRS
                and not d.startswith(".")
                and not (Path(here) / d / "__init__.py").is_file()
            )
            files.update(Path(here) / n for n in names if not n.endswith((".py", ".pyc", ".pyo")))
        return files

    def _with_prefix(self, prefix: str) -> set[str]:
        """Modules whose name starts with ``prefix`` inside its (first-party) package."""
        package, _, stem = prefix.rpartition(".")
        spec = self.spec(package) if package else None
        if spec is None or not spec.submodule_search_locations:
            return set()
        found = set()
        for location in spec.submodule_search_locations:
            for path in Path(location).iterdir():
                name = path.stem if path.suffix == ".py" else path.name
                if name.startswith(stem) and (
                    path.suffix == ".py" or (path / "__init__.py").is_file()
                ):
                    found.add(f"{package}.{name}")
        return found

    def module_files(self, name: str) -> frozenset[Path]:
        """Every first-party file that importing module ``name`` depends on."""
        if name in self._closure:
            return self._closure[name]
        self._closure[name] = frozenset()  # an import cycle ends here
        spec = self.spec(name)
        files: set[Path] = set()
        if spec is not None:
            parent = name.rpartition(".")[0]
            if parent:  # importing a.b runs a/__init__.py first
                files |= self.module_files(parent)
            if spec.has_location and spec.origin:
                origin = Path(spec.origin).resolve()
                files.add(origin)
                files |= self._package_files(spec)
                package = name if spec.submodule_search_locations else parent
                files |= self.code_files(
                    origin.read_text(encoding="utf-8"), package=package or None
                )
        result = frozenset(files)
        self._closure[name] = result
        return result

    def _imports(self, code: str, package: str | None) -> tuple[set[str], set[str]]:
        key = hashlib.sha256(f"{package or ''}\0{code}".encode()).hexdigest()
        self.used.add(key)
        if key in self.parsed:
            names, prefixes = self.parsed[key]
            return set(names), set(prefixes)
        try:
            found = imported_names(code, package=package)
        except SyntaxError:
            # Not parseable as a whole (a cell demonstrating an error, say):
            # take the import statements line by line.
            found = set(), set()
            for line in code.splitlines():
                try:
                    more, dynamic = imported_names(line.strip(), package=package)
                except SyntaxError:
                    continue
                found[0].update(more)
                found[1].update(dynamic)
        self.parsed[key] = [sorted(found[0]), sorted(found[1])]
        return found

    def code_files(self, code: str, *, package: str | None = None) -> set[Path]:
        """Every first-party file that running ``code`` depends on, through its imports."""
        names, prefixes = self._imports(code, package)
        for prefix in prefixes:
            names |= self._with_prefix(prefix)
        files: set[Path] = set()
        for name in sorted(names):
            files |= self.module_files(name)
        return files

    # -- digests ------------------------------------------------------------
    def digest(self, files: Iterable[Path]) -> str:
        """SHA-256 of ``files``: sorted by path relative to the root, each path and bytes."""
        entries = []
        for path in files:
            relative = self._relative.get(path)
            if relative is None:
                relative = Path(path).resolve().relative_to(self.root).as_posix()
                self._relative[path] = relative
            entries.append((relative, path))
        total = hashlib.sha256()
        for relative, path in sorted(entries):
            inner = self._hashes.get(path)
            if inner is None:
                inner = self._hashes[path] = hashlib.sha256(path.read_bytes()).digest()
            total.update(relative.encode() + b"\0" + inner)
        return total.hexdigest()


def digest(files: Iterable[str | os.PathLike[str]], root: str | os.PathLike[str]) -> str:
    """SHA-256 over the relative paths and bytes of ``files``, in sorted order.

    Parameters
    ----------
    files : iterable of Path
        Files under ``root``.
    root : path
        The folder the paths are taken relative to (so a copy of the tree at
        another place has the same digest).

    Returns
    -------
    str
        The hexadecimal digest.
    """
    return Dependencies([root]).digest(Path(f).resolve() for f in files)


# --------------------------------------------------------------------------
# Pages and gallery scripts
# --------------------------------------------------------------------------

_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
_CELL = re.compile(
    r"^(?P<fence>`{3,}|~{3,})\{code-cell\}[^\n]*\n(?P<body>.*?)^(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)


def is_executed_page(source: str) -> bool:
    """Whether a MyST page is a notebook that MyST-NB executes (a ``kernelspec``)."""
    front = _FRONT.match(source)
    return bool(front and "kernelspec:" in front.group(1))


def page_code(source: str) -> str:
    """The code of a MyST page's ``code-cell`` blocks, options and YAML header removed."""
    cells = []
    for match in _CELL.finditer(source):
        body = re.sub(r"\A---\n.*?\n---\n", "", match.group("body"), flags=re.DOTALL)
        lines = body.splitlines()
        while lines and lines[0].startswith(":"):
            lines.pop(0)
        cells.append("\n".join(lines))
    return "\n\n".join(cells)


def hidden_cell(docname: str, code_digest: str, packages: Iterable[str]) -> str:
    """The ``remove-cell`` code cell put first on an executed page (see the module doc)."""
    return f"""
```{{code-cell}} ipython3
:tags: [remove-cell]

# Added by the build (docs/_ext/code_digest.py), not part of the page or its notebook.
# sha256 of the code this page imports: {code_digest}
# (when it changes, the execution cache misses and the page re-executes).
import importlib.util as _util, os as _os, pathlib as _pathlib

for _name in {sorted(packages)!r}:
    _spec = _util.find_spec(_name)
    _origin = _pathlib.Path(_spec.origin).resolve() if _spec and _spec.origin else None
    if _origin is None or not _origin.is_relative_to(_os.environ["{TREE_ENV}"]):
        raise ImportError(
            f"the kernel imports {{_name}} from {{_origin}}, not from the tree "
            f"{{_os.environ['{TREE_ENV}']}} (pip install -e . in the build's environment)"
        )
import conv_explained.verify as _verify

_verify.set_context(page={docname!r})
# Number the page's own cells from 1 in failure messages: this cell does not
# count (its history is not kept, so the numbers can repeat).
get_ipython().history_manager.enabled = False
get_ipython().execution_count = 0
del _util, _os, _pathlib, _name, _spec, _origin, _verify
```
"""


def inject(source: str, cell: str) -> str:
    """``source`` with ``cell`` put right after its front matter."""
    front = _FRONT.match(source)
    end = front.end() if front else 0
    return source[:end] + cell + source[end:]


# --------------------------------------------------------------------------
# One line for a failed page or script
# --------------------------------------------------------------------------

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def one_line(text: str) -> str:
    """``text`` with colour codes removed and all whitespace runs made single spaces."""
    return " ".join(_ANSI.sub("", text).split())


def page_failure(docname: str, error: BaseException) -> str:
    """The one line saying where a page failed and why (``error``: nbclient's CellExecutionError)."""
    ename = getattr(error, "ename", type(error).__name__)
    evalue = one_line(str(getattr(error, "evalue", error)))
    where = f"page {docname}"
    if ename == "VerificationError" and evalue.startswith(where):
        return evalue
    cell = re.search(r"Cell In\[(\d+)\], line (\d+)", _ANSI.sub("", str(error)))
    if cell:
        where += f", cell {cell.group(1)}, line {cell.group(2)}"
    what = (
        f"{ename}: {evalue}" if evalue else f"{ename} (a check that does not say what disagreed)"
    )
    return f"{where}: {what}"


def script_failure(script: str, error: BaseException) -> str:
    """The one line saying where a gallery script failed and why."""
    message = one_line(str(error))
    if type(error).__name__ == "VerificationError" and message.startswith("script "):
        return message
    where = f"script {script}"
    tb = error.__traceback__
    line = None
    while tb is not None:
        if Path(tb.tb_frame.f_code.co_filename).name == Path(script).name:
            line = tb.tb_lineno
        tb = tb.tb_next
    if line is not None:
        where += f", line {line}"
    name = type(error).__name__
    what = (
        f"{name}: {message}" if message else f"{name} (a check that does not say what disagreed)"
    )
    return f"{where}: {what}"


def _fail(line: str) -> None:
    """End the build with ``line`` as the last thing it prints (exit status 2)."""
    sys.stdout.flush()
    print(line, file=sys.stderr, flush=True)
    raise SystemExit(2)


# --------------------------------------------------------------------------
# Sphinx
# --------------------------------------------------------------------------


#: What the build itself runs beside a page's or script's code: the hidden
#: cell and the gallery's reset hook both import the verifier.
BUILD_CODE = "import conv_explained.verify"


def _parsed_file(app: Any) -> Path:
    return Path(app.doctreedir) / "code_digest_imports.json"


def _deps(app: Any) -> Dependencies:
    deps = getattr(app, "_code_digest_deps", None)
    if deps is None:
        roots = app.config.code_digest_roots or [".."]
        try:
            parsed = json.loads(_parsed_file(app).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            parsed = {}
        deps = Dependencies((Path(app.srcdir, r) for r in roots), parsed=parsed)
        app._code_digest_deps = deps
    return deps


def save_parsed(app: Any, exception: BaseException | None) -> None:
    """``build-finished``: keep the imports parsed in this build for the next one."""
    deps = getattr(app, "_code_digest_deps", None)
    if deps is None:
        return
    kept = {k: v for k, v in sorted(deps.parsed.items()) if k in deps.used}
    path = _parsed_file(app)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(kept, indent=0, sort_keys=True) + "\n"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def _galleries(app: Any) -> list[tuple[Path, Path]]:
    """``(examples dir, gallery output dir)`` pairs from ``sphinx_gallery_conf``."""
    conf = getattr(app.config, "sphinx_gallery_conf", None) or {}
    examples = conf.get("examples_dirs") or []
    outputs = conf.get("gallery_dirs") or []
    examples = [examples] if isinstance(examples, str) else examples
    outputs = [outputs] if isinstance(outputs, str) else outputs
    src = Path(app.srcdir)
    return [
        ((src / e).resolve(), (src / g).resolve()) for e, g in zip(examples, outputs, strict=True)
    ]


def _script_of(app: Any, docname: str) -> Path | None:
    """The gallery script that ``docname`` (``auto_gallery/.../plot_x``) was made from."""
    doc = Path(app.srcdir, docname).resolve()
    for examples, output in _galleries(app):
        if _is_under(doc, output):
            script = examples / doc.relative_to(output).with_suffix(".py")
            return script if script.is_file() else None
    return None


def _doc_files(app: Any, docname: str, source: str | None = None) -> tuple[set[Path], bool] | None:
    """The files ``docname`` depends on, and whether it is a page (else a script)."""
    deps = _deps(app)
    script = _script_of(app, docname)
    if script is not None:
        return _script_files(deps, script), False
    path = Path(app.env.doc2path(docname))
    if path.suffix != ".md" or not path.is_file():
        return None
    text = source if source is not None else path.read_text(encoding="utf-8")
    if not is_executed_page(text):
        return None
    return deps.code_files(page_code(text)) | deps.code_files(BUILD_CODE), True


def _script_files(deps: Dependencies, script: Path) -> set[Path]:
    code = script.read_text(encoding="utf-8")
    return deps.code_files(code) | deps.code_files(BUILD_CODE) | {script.resolve()}


def _digests(env: Any) -> dict[str, str]:
    if not hasattr(env, "code_digests"):
        env.code_digests = {}
    return env.code_digests  # type: ignore[no-any-return]


def on_source_read(app: Any, docname: str, source: list[str]) -> None:
    """Note a page's or script's code as dependencies; give a page its hidden cell."""
    found = _doc_files(app, docname, source[0])
    if found is None:
        return
    files, is_page = found
    deps = _deps(app)
    for path in sorted(files):
        app.env.note_dependency(str(path))
    value = deps.digest(files)
    _digests(app.env)[docname] = value
    if is_page:
        cell = hidden_cell(docname, value, app.config.code_digest_packages)
        source[0] = inject(source[0], cell)


def on_env_get_outdated(
    app: Any, env: Any, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Re-read every page or gallery document whose code digest changed since it was read."""
    stale = []
    deps = _deps(app)
    for docname, old in sorted(_digests(env).items()):
        if docname in added or docname in changed or docname in removed:
            continue
        found = _doc_files(app, docname)
        if found is None or deps.digest(found[0]) != old:
            stale.append(docname)
    return stale


def on_env_purge_doc(app: Any, env: Any, docname: str) -> None:
    """Forget a document's digest when Sphinx forgets the document."""
    _digests(env).pop(docname, None)


def on_env_merge_info(app: Any, env: Any, docnames: Iterable[str], other: Any) -> None:
    """Parallel reads: take the digests the worker recorded."""
    theirs = _digests(other)
    _digests(env).update({d: theirs[d] for d in docnames if d in theirs})


def _gallery_scripts(app: Any) -> list[tuple[Path, Path]]:
    """``(script, its copy in the gallery output)`` for every gallery script."""
    pairs = []
    for examples, output in _galleries(app):
        for script in sorted(examples.rglob("*.py")):
            pairs.append((script, output / script.relative_to(examples)))
    return pairs


def invalidate_gallery(app: Any) -> None:
    """``builder-inited``, before sphinx-gallery: re-run each script whose code changed."""
    deps = _deps(app)
    current: dict[Path, str] = {}
    for script, target in _gallery_scripts(app):
        value = deps.digest(_script_files(deps, script))
        current[target] = value
        stored = Path(f"{target}{GALLERY_SUFFIX}")
        md5 = Path(f"{target}.md5")
        if md5.is_file() and (not stored.is_file() or stored.read_text().strip() != value):
            md5.unlink()  # sphinx-gallery sees the script as new and runs it
    app._code_digest_gallery = current


def record_gallery(app: Any) -> None:
    """``builder-inited``, after sphinx-gallery: store the digest of each script that passed."""
    from sphinx_gallery.gen_rst import md5sum_is_current

    for target, value in getattr(app, "_code_digest_gallery", {}).items():
        stored = Path(f"{target}{GALLERY_SUFFIX}")
        passed = Path(f"{target}.md5").is_file() and md5sum_is_current(target, mode="t")
        if passed and (not stored.is_file() or stored.read_text().strip() != value):
            stored.write_text(value + "\n")
    try:
        from conv_explained import verify

        verify.set_context()  # the gallery is done: no script is running now
    except ImportError:  # pragma: no cover
        pass


def _wrap_gallery(app: Any, config: Any) -> None:
    """Make a failing gallery script end the build with one line (see :func:`script_failure`)."""
    try:
        from sphinx_gallery.gen_gallery import generate_gallery_rst
    except ImportError:  # pragma: no cover
        return
    listeners = app.events.listeners.get("builder-inited", [])
    ours = [lis for lis in listeners if lis.handler is generate_gallery_rst]
    if not ours:
        return
    if len(ours) != 1:  # pragma: no cover
        raise RuntimeError(f"sphinx-gallery is connected {len(ours)} times to builder-inited")

    def run_gallery(app: Any) -> None:
        try:
            generate_gallery_rst(app)
        except Exception as error:  # noqa: BLE001  # any failure of a script ends the build
            script = "?"
            tb = error.__traceback__
            galleries = [e for e, _ in _galleries(app)]
            while tb is not None:
                name = Path(tb.tb_frame.f_code.co_filename)
                for examples in galleries:
                    if name.is_absolute() and _is_under(name.resolve(), examples):
                        script = name.resolve().relative_to(Path(app.srcdir).parent).as_posix()
                tb = tb.tb_next
            _fail(script_failure(script, error))

    app.disconnect(ours[0].id)
    app.connect("builder-inited", run_gallery, priority=ours[0].priority)


def check_tree(app: Any, config: Any) -> None:
    """``config-inited``: the packages Sphinx imported come from this tree, else stop."""
    tree = Path(app.srcdir, (config.code_digest_roots or [".."])[0]).resolve()
    os.environ[TREE_ENV] = str(tree)  # for the kernels' check (their hidden cell)
    for name in config.code_digest_packages:
        module = sys.modules.get(name)
        if module is None:
            __import__(name)
            module = sys.modules[name]
        origin = Path(getattr(module, "__file__", "") or "").resolve()
        if not _is_under(origin, tree):
            _fail(
                f"Sphinx imports {name} from {origin}, not from the tree {tree}: what the "
                "build verifies must be the tree's code (pip install -e . in this environment)"
            )


def report_failure(app: Any, exception: BaseException | None) -> None:
    """``build-finished``: a page that failed to execute ends the build with one line."""
    if exception is None:
        return
    try:
        from myst_nb.core.execute.base import ExecutionError
    except ImportError:  # pragma: no cover
        return
    if not isinstance(exception, ExecutionError):
        return
    cause = exception.__cause__ or exception
    docname = app.env.path2doc(str(exception)) or str(exception)
    _fail(page_failure(docname, cause))


def setup(app: Any) -> dict[str, Any]:
    """Connect the dependency tracking, the tree check and the one-line failures."""
    app.add_config_value("code_digest_roots", [], "env", types=frozenset({list, tuple}))
    app.add_config_value(
        "code_digest_packages", ["conv_explained"], "env", types=frozenset({list, tuple})
    )
    app.connect("config-inited", check_tree, priority=100)
    app.connect("config-inited", _wrap_gallery, priority=950)
    app.connect("source-read", on_source_read)
    app.connect("env-get-outdated", on_env_get_outdated)
    app.connect("env-purge-doc", on_env_purge_doc)
    app.connect("env-merge-info", on_env_merge_info)
    app.connect("builder-inited", invalidate_gallery, priority=450)  # sphinx-gallery: 500
    app.connect("builder-inited", record_gallery, priority=550)
    app.connect("build-finished", save_parsed, priority=50)
    app.connect("build-finished", report_failure, priority=100)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
