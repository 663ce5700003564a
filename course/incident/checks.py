"""Checking a learner's answers: normalise what people type, compare with the scenario, explain in Japanese.

    result = check_answers("ir_analyze", {"first_host": " pc-soumu-03 ", ...}, scenario)
    result.ok, result.messages, result.score, result.fields["first_host"].status

The forms (tasks.yaml) and decisions (decisions.yaml) are data. A check never raises for a learner's input: an empty
answer says 「まだ回答がありません」, a value of the wrong type is explained, and a wrong answer gets a hint that points
to the step of the method (not to the answer). Set answers (hosts, accounts, addresses) name the learner's own wrong
entries and say how many are still missing, without naming them.
"""

import html
import ipaddress
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from ..errors import ContentError
from ..i18n import t
from . import content

STATUSES = ("correct", "partial", "wrong", "missing", "invalid")
MARK = {"correct": "✅", "partial": "🔶", "wrong": "❌", "missing": "⬜", "invalid": "⚠️"}


# -- the content ---------------------------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def forms():
    data = content.load("tasks")
    path = content.path_of("tasks")
    out = data.get("forms") if isinstance(data, dict) else None
    if not isinstance(out, dict) or not out:
        raise ContentError(path, "forms", "フォームの定義が必要です / forms are required")
    for key, form in out.items():
        for i, f in enumerate(form.get("fields", [])):
            for need in ("id", "kind", "label"):
                if need not in f:
                    raise ContentError(path, f"forms.{key}.fields[{i}].{need}", "必須の項目がありません / required")
            if f["kind"] in ("choice", "multi") and not (f.get("options") or f.get("decision")):
                raise ContentError(path, f"forms.{key}.fields[{i}]", "options か decision が必要です / needs options")
            if "decision" in f and f["decision"] not in decisions():
                raise ContentError(path, f"forms.{key}.fields[{i}].decision", "decisions.yaml にありません / unknown")
    return out


@lru_cache(maxsize=None)
def decisions():
    data = content.load("decisions")
    return data["decisions"]


def form(key):
    if key not in forms():
        raise KeyError(f"unknown answer form {key!r}; known: {', '.join(forms())}")
    return forms()[key]


def field_spec(form_key, field_id):
    for f in form(form_key)["fields"]:
        if f["id"] == field_id:
            return f
    raise KeyError(f"unknown field {field_id!r} in form {form_key!r}")


def options(spec, lang="ja"):
    """[(label, id)] of a choice or multi field."""
    if spec.get("decision"):
        return [(content.text(o, lang), o["id"]) for o in decisions()[spec["decision"]]["options"]]
    variants = content.load("attack")["variants"]
    return [(variants[o][lang] if o in variants else o, o) for o in spec["options"]]


# -- normalising what people type --------------------------------------------------------------------------------

def nfkc(text):
    return unicodedata.normalize("NFKC", text)


def _type_name(value):
    if value is None:
        return t("incident.type.none")
    if isinstance(value, bool):
        return t("incident.type.bool")
    if isinstance(value, (int, float)):
        return t("incident.type.number")
    if isinstance(value, (list, tuple, set)):
        return t("incident.type.list")
    if isinstance(value, dict):
        return t("incident.type.dict")
    return type(value).__name__


class Invalid(Exception):
    """An answer of the wrong type or form; the message is for the learner."""


def is_empty(value):
    if value is None:
        return True
    if isinstance(value, float) and value != value:
        return True
    if isinstance(value, str):
        return not nfkc(value).strip()
    if isinstance(value, (list, tuple, set)):
        return all(is_empty(v) for v in value)
    return False


def _need_str(value, example):
    if isinstance(value, str):
        return nfkc(value).strip()
    raise Invalid(t("incident.check.need_text", got=_type_name(value), value=repr(value), example=example))


def norm_host(value):
    text = _need_str(value, "PC-SOUMU-99")
    text = re.sub(r"\s+", "", text).lstrip("\\").upper()
    return text.split(".")[0]


def norm_account(value):
    text = _need_str(value, "yamada.taro")
    text = re.sub(r"\s+", "", text).lower()
    text = text.split("\\")[-1]
    return text.split("@")[0] if "@" in text else text


def norm_ip(value):
    text = re.sub(r"\s+", "", _need_str(value, "192.0.2.1"))
    try:
        return str(ipaddress.ip_address(text))
    except ValueError as exc:
        raise Invalid(t("incident.check.not_ip", value=text)) from exc


def norm_text(value):
    return re.sub(r"\s+", "", _need_str(value, "HD-2025-9999")).upper()


def norm_extension(value):
    return re.sub(r"\s+", "", _need_str(value, "abc")).lstrip("*").lstrip(".").lower()


def norm_filename(value):
    return _need_str(value, "README.txt").split("\\")[-1].lower()


def norm_time(value):
    if isinstance(value, pd.Timestamp) or hasattr(value, "isoformat") and not isinstance(value, str):
        ts = pd.Timestamp(value)
    else:
        text = _need_str(value, "2025-03-14 01:23")
        text = (text.replace("年", "-").replace("月", "-").replace("日", " ").replace("時", ":").replace("分", "")
                .replace("/", "-").replace("：", ":"))
        text = re.sub(r"\s+", " ", text).strip()
        text = re.sub(r":$", ":00", text)
        try:
            ts = pd.Timestamp(text)
        except (ValueError, TypeError) as exc:
            raise Invalid(t("incident.check.not_time", value=value)) from exc
    if ts is pd.NaT or pd.isna(ts):
        raise Invalid(t("incident.check.not_time", value=value))
    return ts.tz_localize("Asia/Tokyo") if ts.tzinfo is None else ts.tz_convert("Asia/Tokyo")


def norm_number(value):
    if isinstance(value, bool):
        raise Invalid(t("incident.check.not_number", value=repr(value)))
    if isinstance(value, (int, float)):
        return float(value)
    if not isinstance(value, str):
        raise Invalid(t("incident.check.not_number", value=repr(value)))
    text = _need_str(value, "2.5")
    text = re.sub(r"(?i)[\s,約およそ程度ぐらいくらい]|gb|ギガバイト|ギガ|個|つ|回|件|日間|日|以内|台", "", text)
    try:
        return float(text)
    except ValueError as exc:
        raise Invalid(t("incident.check.not_number", value=repr(value))) from exc


def split_items(value):
    """A list answer from a list, or from text separated by new lines, 、 , ， ; or spaces."""
    if isinstance(value, str):
        return [p for p in re.split(r"[\s、,，;；]+", nfkc(value)) if p.strip()]
    if isinstance(value, (list, tuple, set)):
        items = []
        for v in value:
            if isinstance(v, str):
                items += [p for p in re.split(r"[\s、,，;；]+", nfkc(v)) if p.strip()]
            elif not is_empty(v):
                items.append(v)
        return items
    raise Invalid(t("incident.check.need_list", got=_type_name(value), value=repr(value)))


def _notification_days(party):
    for p in content.load("notifications")["parties"]:
        if p["id"] == party:
            return p["days"]
    raise KeyError(party)


NONE_WORDS = ("なし", "無し", "ない", "NONE", "-", "—")   # "there is none" (after norm_text: no spaces, upper case)

NORMALISE = {"host": norm_host, "hosts": norm_host, "account": norm_account, "accounts": norm_account,
             "ip": norm_ip, "ips": norm_ip, "text": norm_text, "extension": norm_extension,
             "filename": norm_filename, "time": norm_time, "number": norm_number, "order": norm_host}


# -- the results ---------------------------------------------------------------------------------------------------

@dataclass
class FieldResult:
    id: str
    label: str
    status: str          # correct | partial | wrong | missing | invalid
    message: str
    score: float = 0.0   # 0..1

    @property
    def ok(self):
        return self.status == "correct"


@dataclass
class CheckResult:
    """ok when every field is right; messages in Japanese; score = sum of field scores (each 0..1)."""
    title: str
    fields: dict = field(default_factory=dict)

    @property
    def ok(self):
        return bool(self.fields) and all(f.ok for f in self.fields.values())

    @property
    def score(self):
        return round(sum(f.score for f in self.fields.values()), 3)

    @property
    def total(self):
        return len(self.fields)

    @property
    def messages(self):
        return [f"{MARK[f.status]} {f.label}: {f.message}" for f in self.fields.values()]

    def summary(self):
        right = sum(f.ok for f in self.fields.values())
        return t("incident.check.summary", right=right, total=self.total)

    def __str__(self):
        return "\n".join([f"{self.title} — {self.summary()}", *self.messages])

    __repr__ = __str__

    def _repr_html_(self):
        items = "".join(f"<li>{html.escape(m)}</li>" for m in self.messages)
        return (f"<div><b>{html.escape(self.title)}</b> — {html.escape(self.summary())}"
                f"<ul style='list-style:none;padding-left:0.5em'>{items}</ul></div>")


# -- what is right -------------------------------------------------------------------------------------------------

def _clean_copies_left(scenario):
    if scenario.truth.nas_wiped is not None:
        return 0                       # the attacker encrypted the copies on NAS01 too
    b = scenario.logs["backup"]
    retention = scenario.company.backup_retention
    ok = b[b["status"] == "Success"].sort_values("end").tail(retention)
    return int((ok["end"] < scenario.truth.encryption_start).sum())


def restore_constraints(scenario, hosts=None):
    """(first, second, reason) pairs: what must come before what in the restore order, among the given hosts."""
    assets = scenario.logs["assets"].set_index("host")
    hosts = list(hosts if hosts is not None else scenario.truth.infected_hosts)
    pairs = []
    for a in hosts:
        for b in hosts:
            if a == b or a not in assets.index or b not in assets.index:
                continue
            dep = assets.at[b, "depends_on"]
            if isinstance(dep, str) and dep == a:
                pairs.append((a, b, "depends"))
            elif not (isinstance(assets.at[a, "depends_on"], str) and assets.at[a, "depends_on"] == b):
                ha, hb = assets.at[a, "max_downtime_hours"], assets.at[b, "max_downtime_hours"]
                if pd.notna(ha) and pd.notna(hb) and ha < hb:
                    pairs.append((a, b, "downtime"))
    return pairs


def model_restore_order(scenario):
    """The infected hosts in a model order: what others depend on, then the shortest tolerable downtime, then name."""
    assets = scenario.logs["assets"].set_index("host")
    hosts = list(scenario.truth.infected_hosts)
    rank = {h: (0 if h in set(assets["depends_on"].dropna()) else 1, int(assets.at[h, "max_downtime_hours"]), h)
            for h in hosts}
    return sorted(hosts, key=rank.get)


EXPECTED = {
    "variant": lambda s: s.truth.variant,
    "exfil_gb": lambda s: s.truth.exfil_bytes / 1e9,
    "attacker_ips": lambda s: sorted({s.truth.c2_ip, s.truth.exfil_ip}
                                     | ({s.truth.entry_source_ip} if s.truth.variant != "phishing" else set())),
    "clean_copies_left": _clean_copies_left,
    "beacon_hosts": lambda s: [s.truth.first_host],   # the implant calls home from the first host until the end
    "restore_order": model_restore_order,
    "ppc_first_days": lambda s: _notification_days("ppc"),
    "ppc_final_days": lambda s: _notification_days("ppc_final"),
}
OPTIONAL = {
    "attacker_ips": lambda s: {s.truth.entry_source_ip} if s.truth.variant == "phishing" else set(),
}


def expected_value(spec, scenario):
    name = spec.get("expected")
    if name in EXPECTED:
        return EXPECTED[name](scenario)
    return getattr(scenario.truth, name)


# -- checking one field ----------------------------------------------------------------------------------------------

def _label(spec, lang="ja"):
    return content.text(spec["label"], lang)


def _hint(spec):
    return content.text(spec.get("hint", ""), "ja")


def check_field(form_key, field_id, value, scenario):
    """A FieldResult for one answer. Never raises for the learner's value."""
    spec = field_spec(form_key, field_id)
    label = _label(spec)
    if is_empty(value):
        return FieldResult(field_id, label, "missing", t("incident.check.empty"))
    try:
        return _check(spec, label, value, scenario)
    except Invalid as exc:
        return FieldResult(field_id, label, "invalid", str(exc))


def _check(spec, label, value, scenario):
    kind = spec["kind"]
    fid = spec["id"]
    hint = _hint(spec)
    if kind in ("choice", "multi") and spec.get("decision"):
        return _check_decision(spec, label, value)
    if kind == "choice":
        ids = [o for _, o in options(spec)]
        chosen = value.strip() if isinstance(value, str) else value
        if chosen not in ids:
            labels = {lab: o for lab, o in options(spec)}
            if isinstance(chosen, str) and chosen in labels:
                chosen = labels[chosen]
            else:
                raise Invalid(t("incident.check.not_option", value=repr(value), choices=", ".join(ids)))
        right = expected_value(spec, scenario)
        if chosen == right:
            return FieldResult(fid, label, "correct", t("incident.check.correct"), 1.0)
        return FieldResult(fid, label, "wrong", t("incident.check.wrong", hint=hint))
    if kind in ("hosts", "accounts", "ips"):
        return _check_set(spec, label, value, scenario)
    if kind == "order":
        return _check_order(spec, label, value, scenario)
    if kind == "free" and spec.get("elements"):
        return _check_elements(spec, label, _need_str(value, "…"))
    if kind == "free":
        _need_str(value, "…")
        return FieldResult(fid, label, "correct", t("incident.check.free_written"), 1.0)
    norm = NORMALISE[kind]
    got = norm(value)
    right = expected_value(spec, scenario)
    if right is None:
        return FieldResult(fid, label, "correct" if got in NONE_WORDS else "wrong", t("incident.check.none_expected"),
                           float(got in NONE_WORDS))
    if kind == "time":
        tol = pd.Timedelta(minutes=float(spec.get("tolerance_minutes", 1)))
        diff = got - right
        if abs(diff) <= tol:
            return FieldResult(fid, label, "correct", t("incident.check.correct"), 1.0)
        side = t("incident.check.too_early") if diff < pd.Timedelta(0) else t("incident.check.too_late")
        return FieldResult(fid, label, "wrong", t("incident.check.wrong_time", side=side, hint=hint))
    if kind == "number":
        tol = float(spec.get("tolerance", 0))
        lo, hi = spec.get("accept", (right, right))
        if lo <= got <= hi or abs(got - right) <= max(tol * abs(right), 1e-9):
            return FieldResult(fid, label, "correct", t("incident.check.correct"), 1.0)
        side = t("incident.check.too_small") if got < right else t("incident.check.too_large")
        return FieldResult(fid, label, "wrong", t("incident.check.wrong_number", side=side, hint=hint))
    right_norm = norm(right)
    if got == right_norm:
        return FieldResult(fid, label, "correct", t("incident.check.correct"), 1.0)
    return FieldResult(fid, label, "wrong", t("incident.check.wrong", hint=hint))


def _check_set(spec, label, value, scenario):
    norm = NORMALISE[spec["kind"]]
    got = {norm(v) for v in split_items(value)}
    right = {norm(v) for v in expected_value(spec, scenario)}
    optional = {norm(v) for v in OPTIONAL.get(spec.get("expected"), lambda s: set())(scenario) if v}
    hits = got & right
    extra = sorted(got - right - optional)
    missing = len(right - got)
    # an extra entry costs half as much as a missing one (isolating a healthy PC is cheaper than missing one)
    score = max(0.0, (len(hits) - 0.5 * len(extra)) / len(right)) if right else float(not extra)
    if not extra and not missing:
        return FieldResult(spec["id"], label, "correct", t("incident.check.set_correct", n=len(right)), 1.0)
    parts = []
    if hits:
        parts.append(t("incident.check.set_hits", n=len(hits)))
    if missing:
        parts.append(t("incident.check.set_missing", n=missing))
    if extra:
        parts.append(t("incident.check.set_extra", items="、".join(extra)))
    parts.append(_hint(spec))
    return FieldResult(spec["id"], label, "partial" if hits else "wrong", " ".join(parts), round(score, 3))


def _check_elements(spec, label, text):
    """A free text that must tell certain things (a public notice): each element is there when one of its patterns
    is found; the message names the elements still missing (what to add, not how to word it)."""
    missing = [content.text(e["label"]) for e in spec["elements"]
               if not any(re.search(p, text) for p in e["patterns"])]
    total = len(spec["elements"])
    if not missing:
        return FieldResult(spec["id"], label, "correct", t("incident.check.elements_correct", n=total), 1.0)
    score = round((total - len(missing)) / total, 3)
    return FieldResult(spec["id"], label, "partial" if score else "wrong",
                       t("incident.check.elements_missing", items="、".join(missing)), score)


def _check_order(spec, label, value, scenario):
    items = [norm_host(v) for v in split_items(value)]
    right = set(scenario.truth.infected_hosts)
    got = list(dict.fromkeys(items))
    missing = len(right - set(got))
    extra = [h for h in got if h not in right]
    position = {h: i for i, h in enumerate(got)}
    wrong_pairs = sorted(((a, b, why) for a, b, why in restore_constraints(scenario, [h for h in got if h in right])
                          if position[a] > position[b]), key=lambda p: (p[2] != "depends", position[p[1]]))
    if not missing and not extra and not wrong_pairs:
        return FieldResult(spec["id"], label, "correct", t("incident.check.order_correct"), 1.0)
    parts = []
    if missing:
        parts.append(t("incident.check.set_missing", n=missing))
    if extra:
        parts.append(t("incident.check.order_extra", items="、".join(extra)))
    grouped = {}
    for a, b, why in wrong_pairs:
        grouped.setdefault((why, a), []).append(b)
    for (why, a), later in list(grouped.items())[:3]:
        parts.append(t(f"incident.check.order_{why}", first=a, second="、".join(later)))
    set_score = max(0.0, (len(right & set(got)) - len(extra)) / len(right))
    pairs = restore_constraints(scenario)
    order_score = 1 - len(wrong_pairs) / len(pairs) if pairs else 1.0
    score = 0.5 * set_score + 0.5 * order_score * set_score
    return FieldResult(spec["id"], label, "partial" if score > 0 else "wrong", " ".join(parts), round(score, 3))


def _check_decision(spec, label, value):
    opts = {o["id"]: o for o in decisions()[spec["decision"]]["options"]}
    by_label = {content.text(o, "ja"): o["id"] for o in opts.values()}
    if spec["kind"] == "choice":
        chosen = value if isinstance(value, str) else None
        if chosen is None:
            raise Invalid(t("incident.check.need_text", got=_type_name(value), value=repr(value),
                            example=next(iter(opts))))
        chosen = by_label.get(chosen.strip(), chosen.strip())
        if chosen not in opts:
            raise Invalid(t("incident.check.not_option", value=repr(value), choices=", ".join(opts)))
        o = opts[chosen]
        why = content.text(o["why"], "ja")
        if o["correct"]:
            return FieldResult(spec["id"], label, "correct", t("incident.check.decision_right", why=why), 1.0)
        return FieldResult(spec["id"], label, "wrong", t("incident.check.decision_wrong", why=why))
    chosen = [by_label.get(c.strip(), c.strip()) if isinstance(c, str) else c for c in split_items(value)]
    unknown = [c for c in chosen if c not in opts]
    if unknown:
        raise Invalid(t("incident.check.not_option", value=repr(unknown[0]), choices=", ".join(opts)))
    chosen = list(dict.fromkeys(chosen))
    good = [c for c in chosen if opts[c]["correct"]]
    bad = [c for c in chosen if not opts[c]["correct"]]
    needed = [o for o in opts if opts[o]["correct"]]
    missing = len(needed) - len(good)
    score = max(0.0, (len(good) - len(bad)) / len(needed))
    if not bad and not missing:
        return FieldResult(spec["id"], label, "correct", t("incident.check.multi_correct", n=len(needed)), 1.0)
    parts = []
    if good:
        parts.append(t("incident.check.set_hits", n=len(good)))
    for c in bad:
        parts.append(t("incident.check.multi_bad", option=content.text(opts[c], "ja"),
                       why=content.text(opts[c]["why"], "ja")))
    if missing:
        parts.append(t("incident.check.multi_missing", n=missing))
    return FieldResult(spec["id"], label, "partial" if good else "wrong", " ".join(parts), round(score, 3))


def check_answers(form_key, answers, scenario):
    """A CheckResult for a whole answer sheet. answers: {field id: value}; anything not a dict is explained."""
    spec = form(form_key)
    result = CheckResult(content.text(spec["title"]))
    if not isinstance(answers, dict):
        for f in spec["fields"]:
            result.fields[f["id"]] = FieldResult(f["id"], _label(f), "invalid",
                                                 t("incident.check.need_dict", got=_type_name(answers)))
        return result
    for f in spec["fields"]:
        result.fields[f["id"]] = check_field(form_key, f["id"], answers.get(f["id"]), scenario)
    return result


def model_answers(form_key, scenario):
    """The model answers of a form for a scenario (for instructors, tests and graded solutions)."""
    out = {}
    for f in form(form_key)["fields"]:
        if f["kind"] == "free":
            out[f["id"]] = content.text(f.get("model", ""))
            continue
        if f.get("decision"):
            opts = decisions()[f["decision"]]["options"]
            right = [o["id"] for o in opts if o["correct"]]
            out[f["id"]] = right[0] if f["kind"] == "choice" else right
            continue
        value = expected_value(f, scenario)
        if f["kind"] == "time":
            value = f"{value:%Y-%m-%d %H:%M:%S}"
        elif f["kind"] in ("hosts", "accounts", "ips", "order"):
            value = list(value)
        elif f["kind"] == "number":
            value = int(value) if float(value).is_integer() else round(float(value), 3)
        out[f["id"]] = value
    return out


# -- for notebooks and graded assignments ----------------------------------------------------------------------------

def preview(form_key, field_id, value):
    """How an answer was read (without saying whether it is right): for visible checks in graded notebooks."""
    spec = field_spec(form_key, field_id)
    if is_empty(value):
        return t("incident.check.empty")
    try:
        kind = spec["kind"]
        if spec.get("decision") or kind in ("choice", "multi"):
            labels = dict((o, lab) for lab, o in options(spec))
            items = split_items(value) if kind == "multi" else [value]
            bad = [v for v in items if v not in labels]
            if bad:
                raise Invalid(t("incident.check.not_option", value=repr(bad[0]), choices=", ".join(labels)))
            read = "、".join(labels[v] for v in items)
        elif kind in ("hosts", "accounts", "ips", "order"):
            read = "、".join(str(NORMALISE[kind](v)) for v in split_items(value))
        elif kind == "free":
            read = _need_str(value, "…")[:60]
        elif kind == "time":
            read = f"{norm_time(value):%Y-%m-%d %H:%M:%S}"
        elif kind == "number":
            read = f"{norm_number(value):g}"
        else:
            read = str(NORMALISE[kind](value))
    except Invalid as exc:
        return f"⚠️ {exc}"
    return t("incident.check.read_as", value=read)


def show_options(form_key, field_id):
    """The choices of a choice / multi field as 'id: label' lines (for code answers)."""
    return "\n".join(f"{o}: {lab}" for lab, o in options(field_spec(form_key, field_id)))


def grade(form_key, answers, scenario, points, prefix):
    """For hidden tests: check each answer, print one RUBRIC line per field and the messages (hints, or the reasons
    for decisions), and return the points earned (points × the mean field score)."""
    from ..rubric.lines import award

    results = [check_field(form_key, fid, value, scenario) for fid, value in answers.items()]
    earned = award(points, [{"id": f"{prefix}_{r.id}", "label": r.label, "covered": r.ok, "message": r.message}
                            for r in results], score=sum(r.score for r in results) / len(results))
    for r in results:
        print(f"{MARK[r.status]} {r.label}: {r.message}")
    return round(earned, 3)


def rebuilt(label, mine, expected):
    """Self-check of a practice exercise that rebuilds a course helper with pandas (ir_01–ir_04): prints ✅ when the
    learner's value equals the helper's result on the practice logs, ⬜ while it is still None / ..., else ❌ with the
    helper's result (the lesson shows it anyway). Lists compare as sets, times to the second, numbers to 1e-6."""
    def same(a, b):
        if isinstance(b, pd.Timestamp) or isinstance(a, pd.Timestamp):
            try:
                return abs(norm_time(a) - norm_time(b)) <= pd.Timedelta(seconds=1)
            except Invalid:
                return False
        if isinstance(b, (list, tuple, set, pd.Series, pd.Index)) or hasattr(b, "tolist") and not hasattr(b, "item"):
            if isinstance(a, str) or not hasattr(a, "__iter__"):
                return False
            return sorted(map(str, a)) == sorted(map(str, b))
        if isinstance(b, (int, float)) or hasattr(b, "item"):
            try:
                return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))
            except (TypeError, ValueError):
                return False
        return nfkc(str(a)).strip().lower() == nfkc(str(b)).strip().lower()

    if mine is None or mine is Ellipsis:
        line = f"{MARK['missing']} {label}: {t('incident.rebuild.todo')}"
    elif same(mine, expected):
        line = f"{MARK['correct']} {label}: {t('incident.rebuild.same')}"
    else:
        shown = list(expected) if isinstance(expected, (pd.Series, pd.Index, set, tuple)) else expected
        line = f"{MARK['wrong']} {label}: {t('incident.rebuild.different', mine=repr(mine)[:80], expected=shown)}"
    print(line)
