"""The harness itself: a tiny inline anywidget round trip, and the console-error collector."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# A widget defined in the notebook itself, so the harness is tested without our bundles.
PING = '''
import anywidget, traitlets

class Ping(anywidget.AnyWidget):
    _esm = """
    export default { render({ model, el }) {
      const b = document.createElement("button");
      b.dataset.testid = "bw-ping";
      const draw = () => { b.textContent = "count " + model.get("count");
                           b.dataset.rendered = String(model.get("count")); };
      b.addEventListener("click", () => { model.set("count", model.get("count") + 1);
                                          model.save_changes(); });
      model.on("change:count", draw); draw(); el.appendChild(b);
    } };
    """
    count = traitlets.Int(0).tag(sync=True)

ping = Ping()
ping
'''


@pytest.mark.parametrize("server_name", ["jupyter_lab", "jupyter_notebook"])
def test_widget_round_trip(server_name, request, open_notebook):
    server = request.getfixturevalue(server_name)
    nb = open_notebook(server, [PING, "print('COUNT', ping.count)"])
    nb.run_all()
    button = nb.wait_rendered("bw-ping")
    assert button.get_attribute("data-rendered") == "0"
    button.click()
    nb.wait_rendered("bw-ping", changed_from="0")
    assert nb.run_cell(1).strip() == "COUNT 1"


def test_console_errors_are_collected(jupyter_lab, open_notebook, page, page_errors):
    open_notebook(jupyter_lab, ["1 + 1"])
    page.evaluate("console.error('bw-harness-probe')")
    page.wait_for_timeout(200)
    assert any("bw-harness-probe" in m for m in page_errors.messages)
    page_errors.messages.clear()  # expected: keep the fixture from failing this test


def test_a_failing_cell_fails_fast_with_its_traceback(jupyter_lab, open_notebook):
    nb = open_notebook(jupyter_lab, ["1 + 1", "raise ValueError('bw-probe-error')", "2 + 2"])
    with pytest.raises(AssertionError, match="bw-probe-error"):
        nb.run_all()
