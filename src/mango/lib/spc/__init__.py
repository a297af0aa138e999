"""Statistical process control for the culture measures: run charts with the Anhøj rules
(``runchart``), Shewhart p-, u- and I-charts (``shewhart``), before/after comparisons
(``compare``) and SVG/CSV output of a chart (``svg``). Framework-free: no Django here."""
