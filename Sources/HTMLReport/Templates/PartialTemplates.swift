extension Templates {
    static let payoutTable = #"""
        <table class="payouts">
        <caption class="visually-hidden">Payouts of {{monthName}} by creator, in {{currency}}</caption>
        <thead><tr>
        <th scope="col">Creator</th><th scope="col" class="num">Carried in</th>
        <th scope="col" class="num">Commissions</th>
        <th scope="col" class="num">Clawbacks</th><th scope="col" class="num">Fees</th>
        <th scope="col" class="num">Adjustments</th><th scope="col" class="num">Balance</th>
        <th scope="col" class="num">Payout</th><th scope="col" class="num">Carried out</th><th scope="col">Paid</th>
        </tr></thead>
        <tbody>
        {{#rows}}
        <tr>
        <th scope="row"><a href="#{{anchor}}">{{name}}</a> <span class="creator-id">{{creator}}</span></th>
        <td class="num">{{carriedIn}}</td><td class="num">{{commissions}}</td><td class="num">{{clawbacks}}</td>
        <td class="num">{{fees}}</td><td class="num">{{adjustments}}</td><td class="num">{{balance}}</td>
        <td class="num">{{payout}}</td><td class="num">{{carriedOut}}</td>
        <td class="status {{statusClass}}">{{status}}
        {{#statusDetail}}<span class="payment-ref">{{.}}</span>{{/statusDetail}}</td>
        </tr>
        {{/rows}}
        </tbody>
        {{#totals}}
        <tfoot><tr>
        <th scope="row">Total ({{creators}})</th>
        <td class="num">{{carriedIn}}</td><td class="num">{{commissions}}</td><td class="num">{{clawbacks}}</td>
        <td class="num">{{fees}}</td><td class="num">{{adjustments}}</td><td class="num">{{balance}}</td>
        <td class="num" id="payout-total">{{payout}}</td><td class="num">{{carriedOut}}</td><td>{{paidCount}}</td>
        </tr></tfoot>
        {{/totals}}
        </table>
        """#

    static let statement = #"""
        <article class="statement" id="{{anchor}}" aria-labelledby="{{anchor}}-heading">
        {{#isPreview}}
        <p class="preview-banner" role="note">{{previewNotice}}</p>
        {{/isPreview}}
        <header>
        <p class="brand">{{brand}}</p>
        <h2 id="{{anchor}}-heading">{{name}} <span class="creator-id">{{creator}}</span></h2>
        <p class="meta">Statement for {{monthName}} · Amounts in {{currency}} · Made {{madeAt}}</p>
        </header>
        <div class="statement-summary">
        <table class="arithmetic">
        <caption>How the payout is worked out</caption>
        <tbody>
        {{#arithmetic}}
        <tr class="{{rowClass}}"><td class="sign">{{sign}}</td><td>{{label}}</td>
        <td class="num">{{amount}}</td></tr>
        {{/arithmetic}}
        </tbody>
        </table>
        <div class="payout-box">
        <p>Payout for {{monthName}}</p>
        <p class="amount">{{payout}} {{currency}}</p>
        <p>{{payoutExplanation}}</p>
        <p><strong>{{paymentText}}</strong>
        {{#paymentReference}}<span class="payment-reference">Reference {{.}}</span>{{/paymentReference}}</p>
        </div>
        </div>
        {{#sections}}
        <h3>{{title}}</h3>
        <table class="lines">
        <thead><tr>
        <th scope="col">{{referenceHeading}}</th><th scope="col">Date</th>
        {{#showBaseAndRate}}
        <th scope="col" class="num">Base</th><th scope="col" class="num">Rate</th>
        {{/showBaseAndRate}}
        {{#noteHeading}}<th scope="col">{{.}}</th>{{/noteHeading}}
        <th scope="col" class="num">Amount</th>
        </tr></thead>
        <tbody>
        {{#rows}}
        <tr>
        <td class="ref">{{reference}}{{#tag}}<span class="kind-tag">{{.}}</span>{{/tag}}</td><td>{{date}}</td>
        {{#showBaseAndRate}}<td class="num">{{base}}</td><td class="num">{{rate}}</td>{{/showBaseAndRate}}
        {{#noteHeading}}<td>{{note}}</td>{{/noteHeading}}
        <td class="num">{{amount}}</td>
        </tr>
        {{/rows}}
        </tbody>
        <tfoot><tr><th scope="row" colspan="{{totalColumns}}">Total</th>
        <td class="num">{{total}}</td></tr></tfoot>
        </table>
        {{/sections}}
        {{^hasEntries}}
        <p>No lines this month.</p>
        {{/hasEntries}}
        <h3>Terms in force</h3>
        {{#hasTerms}}
        <dl class="terms">
        {{#terms}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/terms}}
        </dl>
        {{/hasTerms}}
        {{^hasTerms}}
        <p>No terms were set for this creator: no commission is earned.</p>
        {{/hasTerms}}
        </article>
        """#

    static let chart = #"""
        <figure class="chart" id="{{id}}" aria-labelledby="{{id}}-caption">
        <figcaption id="{{id}}-caption"><span class="chart-title">{{title}}</span>
        {{#subtitle}}<span class="chart-subtitle">{{.}}</span>{{/subtitle}}</figcaption>
        {{#emptyMessage}}
        <p class="chart-empty">{{.}}</p>
        {{/emptyMessage}}
        {{^emptyMessage}}
        <svg class="chart-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {{width}} {{height}}"
          role="img" aria-label="{{title}}">
        <defs>
        {{#patterns}}
        <pattern id="{{patternID}}" patternUnits="userSpaceOnUse" width="6" height="6"
          patternTransform="rotate({{angle}})"><rect width="6" height="6" fill="{{background}}"/>
          <line x1="0" y1="0" x2="0" y2="6" stroke="{{ink}}" stroke-width="1.6"/></pattern>
        {{/patterns}}
        </defs>
        {{#elements}}
        {{> svgElement}}
        {{/elements}}
        </svg>
        {{#table}}{{> dataTable}}{{/table}}
        {{/emptyMessage}}
        </figure>
        """#

    static let svgElement = #"""
        {{#rect}}
        <rect x="{{x}}" y="{{y}}" width="{{width}}" height="{{height}}" fill="{{fill}}"
          {{#stroke}}stroke="{{.}}"{{/stroke}}>{{#tooltip}}<title>{{.}}</title>{{/tooltip}}</rect>
        {{/rect}}
        {{#line}}
        <line x1="{{x1}}" y1="{{y1}}" x2="{{x2}}" y2="{{y2}}" stroke="{{stroke}}" stroke-width="{{strokeWidth}}"
          {{#dash}}stroke-dasharray="{{.}}"{{/dash}}/>
        {{/line}}
        {{#polyline}}
        <polyline points="{{points}}" fill="none" stroke="{{stroke}}" stroke-width="{{strokeWidth}}"
          stroke-linejoin="round" {{#dash}}stroke-dasharray="{{.}}"{{/dash}}/>
        {{/polyline}}
        {{#path}}
        <path d="{{d}}" fill="{{fill}}" stroke="{{stroke}}" stroke-width="{{strokeWidth}}"/>
        {{/path}}
        {{#text}}
        <text x="{{x}}" y="{{y}}" text-anchor="{{anchor}}" font-size="{{size}}" class="{{role}}">{{content}}
          {{#tooltip}}<title>{{.}}</title>{{/tooltip}}</text>
        {{/text}}
        """#

    static let dataTable = #"""
        <table class="chart-data">
        <caption>{{caption}}</caption>
        <thead><tr>{{#columns}}<th scope="col">{{.}}</th>{{/columns}}</tr></thead>
        <tbody>
        {{#rows}}
        <tr><th scope="row">{{heading}}</th>{{#cells}}<td class="num">{{.}}</td>{{/cells}}</tr>
        {{/rows}}
        </tbody>
        </table>
        """#
}
