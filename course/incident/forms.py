"""Answer sheets for the ir_* notebooks: one composite widget per form of tasks.yaml, saved in the AnswerStore.

    sheet = AnswerSheet("ir_analyze", scenario)   # restores answers/ir_analyze.json, then saves every change
    sheet                                          # shows the form; the 自己チェック button explains what is missing
    sheet.answers                                  # {field id: value}; load_answers("ir_analyze") elsewhere

Text answers are kept as typed (normalised only when checked); lists are written one per line; choices keep the
option id. Tested without a browser by setting .value on the input widgets and calling button.click().
"""

import ipywidgets as W
import traitlets

from ..answers.store import AnswerStore
from ..i18n import t
from . import checks, content

KIND = "incident.answers"
LIST_KINDS = ("hosts", "accounts", "ips", "order")


class ChoiceList(W.VBox):
    """Check boxes for a multiple-choice answer. value: tuple of the chosen option ids (in option order)."""

    value = traitlets.Tuple()

    def __init__(self, options, value=(), **kwargs):
        super().__init__(**kwargs)
        self._options = list(options)               # [(label, id)]
        self._boxes = {}
        self._syncing = False
        for label, oid in self._options:
            box = W.Checkbox(value=oid in value, description=label, indent=False, layout=W.Layout(width="auto"))
            box.observe(self._box_changed, names="value")
            self._boxes[oid] = box
        self.children = list(self._boxes.values())
        self.value = tuple(oid for _, oid in self._options if oid in value)

    def _box_changed(self, change=None):
        if not self._syncing:
            self.value = tuple(oid for oid, box in self._boxes.items() if box.value)

    @traitlets.observe("value")
    def _value_changed(self, change):
        self._syncing = True
        try:
            for oid, box in self._boxes.items():
                box.value = oid in change["new"]
        finally:
            self._syncing = False


def show(output, obj):
    """Append obj to an Output widget as display data (HTML, or PNG for a matplotlib figure), without needing an
    IPython shell: works the same in JupyterLab and in headless tests."""
    data = {"text/plain": str(obj)}
    html_repr = getattr(obj, "_repr_html_", None)
    html = html_repr() if callable(html_repr) else None
    if html is not None:  # a matplotlib Figure has _repr_html_ but returns None: the page would show "null"
        data["text/html"] = html
    if hasattr(obj, "savefig"):
        import base64
        import io

        buffer = io.BytesIO()
        obj.savefig(buffer, format="png", dpi=100)
        data["image/png"] = base64.b64encode(buffer.getvalue()).decode("ascii")
        data["text/plain"] = "<Figure>"
    output.outputs += ({"output_type": "display_data", "data": data, "metadata": {}},)


def load_answers(form_key, store=None):
    """The saved answers of a form ({} when there are none)."""
    result = (store or AnswerStore()).load(form_key, KIND)
    if result.record and isinstance(result.record.data.get("answers"), dict):
        return dict(result.record.data["answers"])
    return {}


def _as_text(value, kind):
    """A saved value as the text an input widget shows (lists one per line)."""
    if value is None:
        return ""
    if kind in LIST_KINDS and isinstance(value, (list, tuple)):
        return "\n".join(str(v) for v in value)
    return value if isinstance(value, str) else str(value)


class AnswerSheet(W.VBox):
    """The answer form of one notebook. Restores the saved answers before observing changes; saves each change."""

    def __init__(self, form_key, scenario=None, store=None, **kwargs):
        super().__init__(**kwargs)
        from .practice import practice_scenario

        self.form_key = form_key
        self.spec = checks.form(form_key)
        self.scenario = scenario if scenario is not None else practice_scenario()
        self.store = store or AnswerStore()
        result = self.store.load(form_key, KIND)
        saved = {}
        if result.record and isinstance(result.record.data.get("answers"), dict):
            saved = result.record.data["answers"]
        self.inputs = {}
        rows = [W.HTML(f"<h4>{content.text(self.spec['title'])}</h4>")]
        layout = W.Layout(width="40em")
        style = {"description_width": "0px"}
        for f in self.spec["fields"]:
            fid, kind = f["id"], f["kind"]
            label = W.HTML(f"<b>{content.text(f['label'])}</b>")
            value = saved.get(fid)
            if kind == "multi":
                chosen = tuple(v for v in (value or ()) if isinstance(v, str)) if isinstance(value, list) else ()
                widget = ChoiceList(checks.options(f), chosen)
            elif kind == "choice":
                opts = [(t("incident.form.choose"), "")] + checks.options(f)
                ids = [o for _, o in opts]
                widget = W.Dropdown(options=opts, value=value if value in ids else "", layout=layout, style=style)
            elif kind in LIST_KINDS or kind == "free":
                widget = W.Textarea(value=_as_text(value, kind), placeholder=f.get("placeholder", ""),
                                    layout=W.Layout(width="40em", height="7em"), style=style)
            else:
                widget = W.Text(value=_as_text(value, kind), placeholder=f.get("placeholder", ""), layout=layout,
                                style=style)
            self.inputs[fid] = widget
            rows += [label, widget]
        self.status = W.HTML()
        self.check_button = W.Button(description=t("incident.form.check"), button_style="info",
                                     layout=W.Layout(width="12em"))
        self.output = W.Output()
        self.children = [*rows, W.HBox([self.check_button, self.status]), self.output]
        if result.message:
            self.status.value = result.message
        elif result.record:
            self.status.value = t("store.restored", time=result.record.saved_at.replace("T", " ")[:19])
        else:
            self.status.value = t("incident.form.saved_to", path=self.store.path(form_key))
        self.result = None
        for widget in self.inputs.values():
            widget.observe(self._changed, names="value")
        self.check_button.on_click(self._on_check)

    @property
    def answers(self):
        out = {}
        for f in self.spec["fields"]:
            value = self.inputs[f["id"]].value
            if f["kind"] == "multi":
                value = list(value)
            elif f["kind"] in LIST_KINDS:
                value = [line.strip() for line in value.splitlines() if line.strip()]
            out[f["id"]] = value
        return out

    def save(self):
        result = self.store.save(self.form_key, KIND, {"answers": self.answers, "seed": self.scenario.seed})
        self.status.value = result.message
        if not result.ok:
            self.output.append_stdout(result.message + "\n")
        return result

    def _changed(self, change=None):
        self.save()

    def check(self):
        """Check the answers against the scenario; the result is shown below the form and returned."""
        self.result = checks.check_answers(self.form_key, self.answers, self.scenario)
        self.output.outputs = ()
        show(self.output, self.result)
        return self.result

    def _on_check(self, button=None):
        self.check()
