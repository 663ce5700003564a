"""Answer sheets for the ir_* notebooks: one composite widget per form of tasks.yaml, saved in the AnswerStore.

    sheet = AnswerSheet("ir_analyze", scenario)   # restores answers/ir_analyze.json, then saves every change
    sheet                                          # shows the form; the 自己チェック button explains what is missing
    sheet.answers                                  # {field id: value}; load_answers("ir_analyze") elsewhere

Text answers are kept as typed (normalised only when checked); lists are written one per line; choices keep the
option id. Tested without a browser by setting .value on the input widgets and calling button.click().
"""

import ipywidgets as W
import traitlets

from ..answers.form import AnswerForm
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


class AnswerSheet(AnswerForm):
    """The answer form of one notebook. Restores the saved answers before observing changes; saves each change."""

    def __init__(self, form_key, scenario=None, store=None, **kwargs):
        super().__init__(store, form_key, KIND, **kwargs)
        from .practice import practice_scenario

        self.form_key = form_key
        self.spec = checks.form(form_key)
        self.scenario = scenario if scenario is not None else practice_scenario()
        self.inputs = {}
        rows = [W.HTML(f"<h4>{content.text(self.spec['title'])}</h4>")]
        layout = W.Layout(width="40em")
        style = {"description_width": "0px"}
        for f in self.spec["fields"]:
            kind = f["kind"]
            label = content.text(f["label"])  # shown above the input, and its tooltip / accessible name
            if kind == "multi":
                widget = ChoiceList(checks.options(f))
            elif kind == "choice":
                widget = W.Dropdown(options=[(t("incident.form.choose"), "")] + checks.options(f), value="", tooltip=label,
                                    layout=layout, style=style)
            elif kind in LIST_KINDS or kind == "free":
                widget = W.Textarea(placeholder=f.get("placeholder", ""), tooltip=label,
                                    layout=W.Layout(width="40em", height="7em"),
                                    style=style)
            else:
                widget = W.Text(placeholder=f.get("placeholder", ""), tooltip=label, layout=layout, style=style)
            self.inputs[f["id"]] = widget
            rows += [W.HTML(f"<b>{content.text(f['label'])}</b>"), widget]
        self.check_button = W.Button(description=t("incident.form.check"), button_style="info",
                                     layout=W.Layout(width="12em"))
        self.output = W.Output()
        self.children = [*rows, W.HBox([self.check_button, self.status]), self.messages, self.output]
        self.result = None
        self._open(self.inputs.values())
        self.check_button.on_click(self._on_check)

    def _read(self, data):
        return data["answers"] if isinstance(data.get("answers"), dict) else {}

    def _show(self, saved):
        for f in self.spec["fields"]:
            value, kind = saved.get(f["id"]), f["kind"]
            if kind == "multi":
                value = tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()
            elif kind == "choice":
                value = value if value in [o for _, o in checks.options(f)] else ""
            else:
                value = _as_text(value, kind)
            self.inputs[f["id"]].value = value

    def _data(self):
        return {"answers": self.answers, "seed": self.scenario.seed}

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

    def check(self):
        """Check the answers against the scenario; the result is shown below the form and returned."""
        self.result = checks.check_answers(self.form_key, self.answers, self.scenario)
        self.output.outputs = ()
        show(self.output, self.result)
        return self.result

    def _on_check(self, button=None):
        self.check()
