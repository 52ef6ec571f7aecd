extension Templates {
    /// The one stylesheet of both pages, inlined: the file must open offline, from an e-mail.
    /// Sized for A4 and Letter alike: the print width is the narrower one (A4, 210 mm).
    static let stylesheet = #"""
        :root {
          --ink: #1A1A1A; --muted: #595959; --rule: #C8C8C8; --faint: #F2F2F2;
          --accent: #0B3D62; --preview: #F0E442;
          font-family: "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", sans-serif;
          color: var(--ink); background: #FFFFFF; line-height: 1.4;
        }
        * { box-sizing: border-box; }
        body { margin: 0 auto; max-width: 1040px; padding: 24px 32px 48px; font-size: 14px; }
        h1 { font-size: 28px; margin: 0 0 4px; letter-spacing: -0.01em; }
        h2 { font-size: 20px; margin: 36px 0 12px; padding-bottom: 4px; border-bottom: 2px solid var(--accent); }
        h3 { font-size: 15px; margin: 22px 0 8px; }
        p { margin: 0 0 8px; }
        a { color: var(--accent); }
        .brand { font-size: 13px; font-weight: 600; letter-spacing: 0.06em; text-transform: uppercase;
                 color: var(--muted); margin: 0; }
        .meta { color: var(--muted); font-size: 13px; }
        .chain-head { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 11px;
                      overflow-wrap: anywhere; }
        .report-header { margin-bottom: 12px; }
        .preview-banner { background: var(--preview); color: #000000; font-weight: 700; padding: 8px 14px;
                          border: 2px dashed #000000; margin: 0 0 16px; }
        .screen-banner { position: sticky; top: 0; z-index: 1; }
        .status-chip { display: inline-block; border: 1.5px solid currentColor; border-radius: 3px;
                       padding: 0 6px; font-size: 12px; font-weight: 700; text-transform: uppercase;
                       letter-spacing: 0.05em; vertical-align: middle; }
        .contents { font-size: 13px; margin: 8px 0 0; }
        .contents a { margin-right: 14px; }

        .glance { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 10px; margin: 0; }
        .kpi { border: 1px solid var(--rule); border-radius: 4px; padding: 10px 12px; margin: 0; }
        .kpi dt { font-size: 12px; color: var(--muted); }
        .kpi dd { margin: 2px 0 0; font-size: 18px; font-weight: 600; font-variant-numeric: tabular-nums; }
        .kpi dd.kpi-detail { font-size: 12px; font-weight: 400; color: var(--muted); }
        .kpi-lead { grid-column: span 2; border: 2px solid var(--accent); }
        .kpi-lead dd { font-size: 28px; }
        .no-activity { font-size: 16px; padding: 16px; border: 1px solid var(--rule); margin-top: 24px; }

        table { border-collapse: collapse; width: 100%; font-size: 13px; font-variant-numeric: tabular-nums; }
        caption { text-align: left; font-weight: 600; padding: 4px 0; }
        th, td { padding: 5px 6px; border-bottom: 1px solid var(--rule); vertical-align: top; text-align: left; }
        thead th { border-bottom: 1.5px solid var(--ink); font-size: 12px; text-align: left; }
        th.num, td.num { text-align: right; white-space: nowrap; }
        tbody tr:nth-child(even) { background: var(--faint); }
        tfoot td, tfoot th { font-weight: 700; border-top: 1.5px solid var(--ink); border-bottom: none; }
        .creator-id { color: var(--muted); font-size: 11px; font-weight: 400; }
        td.status { white-space: nowrap; }
        .paid { font-weight: 600; }
        .unpaid { font-weight: 700; }
        .payment-ref { display: block; font-size: 11px; color: var(--muted); white-space: normal;
                       overflow-wrap: anywhere; }

        .chart-group { margin-top: 8px; }
        .chart-group > p { color: var(--muted); }
        figure.chart { margin: 16px 0 24px; }
        figcaption { margin-bottom: 6px; }
        .chart-title { font-weight: 600; font-size: 15px; display: block; }
        .chart-subtitle { color: var(--muted); font-size: 13px; display: block; }
        .chart-svg { width: 100%; height: auto; display: block; overflow: visible; }
        .chart-svg text { fill: var(--ink); font-family: inherit; }
        .chart-svg .tick, .chart-svg .note-heading { fill: var(--muted); }
        .chart-svg .axis-title { font-weight: 600; }
        .chart-svg .value, .chart-svg .note { font-variant-numeric: tabular-nums; }
        .chart-svg .aggregate { font-style: italic; }
        .chart-empty { color: var(--muted); font-style: italic; padding: 8px 0; }
        .visually-hidden, .chart-data {
          position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
          clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; border: 0;
        }

        .statement { margin-top: 48px; padding-top: 8px; border-top: 3px double var(--rule); }
        .statement-page .statement { margin-top: 0; padding-top: 0; border-top: none; }
        .payment-reference { display: block; font-weight: 400; }
        .statement h2 { border-bottom: none; margin: 4px 0 2px; font-size: 22px; }
        .statement-summary { display: grid; grid-template-columns: 3fr 2fr; gap: 24px; align-items: start; }
        .arithmetic { width: 100%; }
        .arithmetic td { border-bottom: none; padding: 3px 6px; }
        .arithmetic td.sign { width: 1.5em; color: var(--muted); }
        .arithmetic tr.result td { border-top: 1.5px solid var(--ink); font-weight: 700; }
        .arithmetic tr.payout td { font-weight: 700; font-size: 15px; }
        .arithmetic tbody tr:nth-child(even) { background: none; }
        .payout-box { border: 2px solid var(--accent); border-radius: 4px; padding: 12px 14px; }
        .payout-box .amount { font-size: 26px; font-weight: 700; font-variant-numeric: tabular-nums; }
        .payout-box p { margin: 4px 0; }
        .lines td.ref { overflow-wrap: anywhere; }
        .kind-tag { font-size: 11px; font-weight: 700; text-transform: uppercase; margin-left: 6px; }
        .terms { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; font-size: 13px; }
        .terms dt { color: var(--muted); }
        .terms dd { margin: 0; }
        footer { margin-top: 40px; font-size: 12px; color: var(--muted); border-top: 1px solid var(--rule);
                 padding-top: 8px; }

        @media (max-width: 720px) {
          body { padding: 12px; }
          .glance { grid-template-columns: repeat(2, 1fr); }
          .statement-summary { grid-template-columns: 1fr; }
        }

        @media print {
          * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          body { max-width: none; padding: 0; font-size: 9.5pt; }
          h1 { font-size: 20pt; }
          h2 { font-size: 14pt; margin-top: 18pt; }
          h3 { font-size: 11pt; }
          a { color: inherit; text-decoration: none; }
          .contents, .screen-banner { display: none; }
          .glance { gap: 6pt; }
          .kpi { padding: 5pt 7pt; }
          .kpi dd { font-size: 12pt; }
          .kpi-lead dd { font-size: 18pt; }
          table { font-size: 8pt; }
          thead th { font-size: 7.5pt; }
          th, td { padding: 2.5pt 3pt; }
          table.payouts th[scope=row] { white-space: nowrap; }
          table.payouts .creator-id { display: block; }
          .payment-ref { font-size: 7pt; }
          thead { display: table-header-group; }
          tr, figure.chart, .kpi, .payout-box, .statement-summary { break-inside: avoid; }
          h2, h3, .chart-group > p { break-after: avoid; }
          #charts { break-before: page; }
          #charts > h2 { margin-top: 0; }
          .statement { break-before: page; border-top: none; margin-top: 0; }
          .chart-data {
            position: static; width: auto; height: auto; margin: 4pt 0 0; overflow: visible;
            clip: auto; clip-path: none; white-space: normal; font-size: 7.5pt;
          }
        }
        """#
}
