import Mustache

/// The Mustache templates of the pages, compiled once. `{{name}}` escapes what it inserts
/// (`&`, `<`, `>`, `"`, `'`); no template uses the unescaped forms `{{{name}}}` or `{{&name}}`
/// (a test checks), so every creator name, code and reference shows as text.
enum Templates {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        let sources: [(name: String, text: String)] = [
            ("stylesheet", stylesheet), ("head", head), ("closeReport", closeReport),
            ("statementPage", statementPage), ("statement", statement), ("payoutTable", payoutTable),
            ("chart", chart), ("dataTable", dataTable), ("svgElement", svgElement)
        ]
        for source in sources {
            do { try library.register(source.text, named: source.name) } catch {
                preconditionFailure("template \(source.name) does not parse: \(error)")
            }
        }
        return library
    }()

    static func render(_ value: some TemplateValue, with name: String) -> String {
        guard let text = library.render(value, withTemplate: name) else {
            preconditionFailure("no template named \(name)")
        }
        return text
    }

    /// Every template's source, for the tests that read them.
    static var allSources: [String] {
        [stylesheet, head, closeReport, statementPage, statement, payoutTable, chart, dataTable, svgElement]
    }

    /// The head of both pages. The content security policy forbids every load from anywhere (no
    /// script, font, image or style file): a page that one day referenced something outside
    /// itself would show the gap instead of reaching out.
    static let head = #"""
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
        <meta name="generator" content="Tally">
        <title>{{documentTitle}}</title>
        <style>
        {{> stylesheet}}
        </style>
        """#

    static let closeReport = #"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        {{> head}}
        <style>
        @page { size: auto; margin: 16mm 14mm 16mm 14mm;
          @bottom-left { content: "Tally close report"; font-size: 8pt; color: #595959; }
          @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 8pt; color: #595959; } }
        {{#isPreview}}
        @page { @top-center { content: "PREVIEW: this month is open and its figures can still change";
          font-size: 9pt; font-weight: 700; color: #000000; } }
        {{/isPreview}}
        </style>
        </head>
        <body class="close-report">
        {{#isPreview}}
        <div class="preview-banner screen-banner" role="note">{{previewNotice}}</div>
        {{/isPreview}}
        <header class="report-header">
        <p class="brand">{{brand}}</p>
        <h1>{{heading}} {{#isPreview}}<span class="status-chip">Preview</span>{{/isPreview}}</h1>
        <p class="meta">{{statusText}} · Amounts in {{currency}} · Made {{madeAt}}</p>
        <p class="meta chain-head">{{chainHead}}</p>
        <nav class="contents" aria-label="Contents">
        <a href="#glance">At a glance</a>{{#hasActivity}}<a href="#payouts">Payouts</a>{{/hasActivity}}
        <a href="#charts">Charts</a>{{#hasActivity}}<a href="#statements">Statements</a>{{/hasActivity}}
        </nav>
        </header>
        <main>
        <section id="glance" aria-labelledby="glance-heading">
        <h2 id="glance-heading">The month at a glance</h2>
        <dl class="glance">
        {{#glance}}
        <div class="kpi{{#isLead}} kpi-lead{{/isLead}}"><dt>{{label}}</dt><dd>{{value}}</dd>
        {{#detail}}<dd class="kpi-detail">{{.}}</dd>{{/detail}}</div>
        {{/glance}}
        </dl>
        {{^hasActivity}}
        <p class="no-activity">{{noActivityMessage}}</p>
        {{/hasActivity}}
        </section>
        {{#hasActivity}}
        <section id="payouts" aria-labelledby="payouts-heading">
        <h2 id="payouts-heading">Payouts</h2>
        {{#payoutTable}}{{> payoutTable}}{{/payoutTable}}
        </section>
        {{/hasActivity}}
        <section id="charts" aria-labelledby="charts-heading">
        <h2 id="charts-heading">Charts</h2>
        {{#chartGroups}}
        <div class="chart-group">
        {{#heading}}<h3>{{.}}</h3>{{/heading}}
        {{#intro}}<p>{{.}}</p>{{/intro}}
        {{#charts}}{{> chart}}{{/charts}}
        </div>
        {{/chartGroups}}
        </section>
        {{#hasActivity}}
        <section id="statements" aria-labelledby="statements-heading">
        <h2 id="statements-heading" class="visually-hidden">Statements</h2>
        {{#statements}}{{> statement}}{{/statements}}
        </section>
        {{/hasActivity}}
        </main>
        <footer>{{footer}}</footer>
        </body>
        </html>

        """#

    static let statementPage = #"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        {{> head}}
        <style>
        @page { size: auto; margin: 16mm 14mm 16mm 14mm;
          @bottom-left { content: "Creator statement"; font-size: 8pt; color: #595959; }
          @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 8pt; color: #595959; } }
        {{#isPreview}}
        @page { @top-center { content: "PREVIEW: this month is open and its figures can still change";
          font-size: 9pt; font-weight: 700; color: #000000; } }
        {{/isPreview}}
        </style>
        </head>
        <body class="statement-page">
        <main>
        {{#statement}}{{> statement}}{{/statement}}
        </main>
        <footer>{{footer}}</footer>
        </body>
        </html>

        """#
}
