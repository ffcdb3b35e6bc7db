"""The page layer: what a report notebook calls (issue 21).

    from spektra_lib.page.notebook import Halaman

- notebook: `Halaman`, the page of one notebook: its selection (from the notebook's
  parameters, the page's address, the controls), the reports it asks for data, and
  present/ for their formatting;
- link: the page parameters read from a Voilà page's address (`?satker=…&bulan=3`);
- widgets: the Voilà controls, one per declared page parameter with a control;
- saring: the static site's filters over data the page already holds.

Page parameters are declared once in reports/selection.py. Below this layer present/
formats only; above it export/, render/ and serve/ (tests/test_architecture.py).
"""
