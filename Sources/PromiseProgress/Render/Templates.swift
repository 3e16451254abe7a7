/// The dashboard templates. Mustache escapes every `{{value}}` for HTML; only `{{{chart}}}`,
/// SVG that ``TrendChart`` builds and escapes itself, is inserted raw.
enum Templates {
    static let header = """
    <!DOCTYPE html>
    <html lang="en-GB">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{{pageTitle}} | Promise progress indicators</title>
    <link rel="stylesheet" href="{{root}}assets/style.css">
    </head>
    <body>
    <a class="skip" href="#main">Skip to main content</a>
    <header class="site">
    <div class="bar">
    <p class="brand"><a href="{{root}}index.html">Promise progress indicators</a></p>
    <nav aria-label="Site"><ul><li><a href="{{root}}index.html">Overview</a></li><li><a href="{{root}}areas/index.html">Council areas</a></li><li><a href="{{root}}changes.html">What changed</a></li><li><a href="{{root}}quotes.html">In their own words</a></li><li><a href="{{root}}methods.html">Methods</a></li><li><a href="{{root}}data-quality.html">Data quality</a></li><li><a href="{{root}}downloads.html">Downloads</a></li></ul></nav>
    </div>
    <div class="banner" role="note"><strong>Synthetic data.</strong> These figures are built from made-up records that look like Scotland's looked after children statistics. They are for testing and demonstration only and are not official statistics.</div>
    </header>
    <main id="main">
    """

    static let footer = """
    </main>
    <footer class="site">
    <p>Built by promise-progress, run {{runID}}. \(privacyStatement)</p>
    <p><a href="{{root}}accessibility.html">Accessibility statement</a> · <a href="{{root}}methods.html">How the numbers are made</a></p>
    </footer>
    </body>
    </html>
    """

    /// A page built as a ``PageDocument``: its HTML body between the site's header and footer.
    static let shell = """
    {{> header}}
    {{{body}}}
    {{> footer}}
    """

    /// The cells shared by every table of values: number, denominator, value and interval.
    /// (A partial does not inherit its parent's content type, so Markdown partials name theirs.)
    static let valueCells = """
    {{#hasNumber}}<td class="num">{{number}}</td>{{/hasNumber}}{{#hasDenominator}}<td class="num">{{denominator}}</td>{{/hasDenominator}}{{^isCount}}<td class="num">{{value}}</td>{{#hasInterval}}<td>{{interval}}</td>{{/hasInterval}}{{#hasResponseRate}}<td class="num">{{responseRate}}</td>{{/hasResponseRate}}{{/isCount}}
    """

    static let markdownValueCells = """
    {{% CONTENT_TYPE: MARKDOWN}}
    {{#hasNumber}}{{number}} |{{/hasNumber}}{{#hasDenominator}} {{denominator}} |{{/hasDenominator}}{{^isCount}} {{value}} | {{#hasInterval}}{{interval}} |{{/hasInterval}}{{#hasResponseRate}} {{responseRate}} |{{/hasResponseRate}}{{/isCount}}
    """

    static let markdownMarkerKey = """
    {{% CONTENT_TYPE: MARKDOWN}}
    {{#hasMarkers}}

    ## Symbols used

    {{#markers}}
    - **{{symbol}}**: {{meaning}}
    {{/markers}}
    {{/hasMarkers}}
    """

    /// What every page says of disclosure control, at its foot (HTML in ``footer``).
    static let privacyStatement = "Counts of 1 to 4 children, survey results from groups of fewer than 10 children and young people, survey results where 1 to 4 gave an answer or 1 to 4 did not, and numbers that would let any of these be worked out, in this release or together with earlier ones, are shown as [c] to protect children's privacy. Figures already published change only in an announced revision, marked [r]."

    /// The Markdown pages' footer: the run and the privacy statement, Markdown-escaped.
    static let markdownFooter = """
    {{% CONTENT_TYPE: MARKDOWN}}
    ---

    {{#runID}}Built by promise-progress, run {{runID}}. {{/runID}}\(PageDocument.markdown(privacyStatement))
    """

    static func markdownFooter(runID: String) -> String {
        "\n---\n\nBuilt by promise-progress, run \(PageDocument.markdown(runID)). \(PageDocument.markdown(privacyStatement))\n"
    }

    static let markerKey = """
    {{#hasMarkers}}
    <h2 id="key">Symbols used</h2>
    <dl class="key">
    {{#markers}}<dt>{{symbol}}</dt><dd>{{meaning}}</dd>
    {{/markers}}
    </dl>
    {{/hasMarkers}}
    """

    static let index = """
    {{> header}}
    <h1>Keeping The Promise: progress indicators</h1>
    <p class="lead">How Scotland is doing for children and young people who are looked after, arranged by the five foundations of The Promise. Each indicator has its own page with a trend, figures for every council area and how it is defined.</p>
    <h2 id="at-a-glance">At a glance: which foundations are improving</h2>
    <div class="table-wrap" role="region" aria-labelledby="caption-glance" tabindex="0">
    <table>
    <caption id="caption-glance">Headline direction of travel in Scotland: how many of each foundation's core statistics and survey results are improving, maintaining or worsening (commitments and the survey's response rate are not counted here)</caption>
    <thead><tr><th scope="col">Foundation</th><th scope="col" class="num">Improving</th><th scope="col" class="num">Maintaining</th><th scope="col" class="num">Worsening</th><th scope="col" class="num">Cannot be calculated or not judged</th><th scope="col">In short</th></tr></thead>
    <tbody>
    {{#glance}}<tr><th scope="row"><a href="foundations/{{id}}.html">{{name}}</a></th><td class="num">{{improving}}</td><td class="num">{{maintaining}}</td><td class="num">{{worsening}}</td><td class="num">{{other}}</td><td>{{verdict}}</td></tr>
    {{/glance}}
    </tbody>
    </table>
    </div>
    <p>Each foundation's page has its whole picture: indicators, vision statements, the evidence from surveys and from commitments, and the gaps. <a href="changes.html">What changed since the last build</a>. <a href="areas/index.html">Council areas</a>.</p>
    {{#foundations}}
    <section aria-labelledby="foundation-{{id}}">
    <h2 id="foundation-{{id}}">{{name}}</h2>
    <p>{{description}}</p>
    {{#hasIndicators}}
    <div class="table-wrap" role="region" aria-labelledby="caption-{{id}}" tabindex="0">
    <table>
    <caption id="caption-{{id}}">{{name}}: latest figures for Scotland</caption>
    <thead><tr><th scope="col">Indicator</th><th scope="col">Latest period</th><th scope="col" class="num">Number</th><th scope="col" class="num">Value</th><th scope="col">Direction of travel</th></tr></thead>
    <tbody>
    {{#indicators}}
    <tr><th scope="row"><a href="indicators/{{id}}.html">{{title}}</a></th><td>{{period}}</td><td class="num">{{number}}</td><td class="num">{{value}}</td><td>{{direction}}</td></tr>
    {{/indicators}}
    </tbody>
    </table>
    </div>
    {{/hasIndicators}}
    {{^hasIndicators}}
    <p class="gap-note">No indicators for this foundation yet. Evidence from surveys of children and families, and from progress updates and commitments, will be added here.</p>
    {{/hasIndicators}}
    <p><a href="foundations/{{id}}.html">{{name}}: the whole picture</a> · <a href="evidence/{{id}}.html">commitments and evidence of progress</a></p>
    {{#hasQuotes}}
    <h3>In their own words</h3>
    {{#quotes}}<figure class="quote"><blockquote><p>{{text}}</p></blockquote><figcaption>{{attribution}}</figcaption></figure>
    {{/quotes}}
    {{/hasQuotes}}
    </section>
    {{/foundations}}
    {{#hasAnyQuotes}}<p><a href="quotes.html">Read everything children and young people agreed to have quoted from the latest survey</a>.</p>{{/hasAnyQuotes}}
    {{> markerKey}}
    {{> footer}}
    """

    static let evidence = """
    {{> header}}
    <p class="crumb"><a href="../index.html">All indicators</a> / {{name}}</p>
    <h1>{{name}}: evidence of progress</h1>
    <p class="lead">{{description}}</p>
    <p>What was promised, by whom and by when, and what the documents say has happened. Every statement links to where it is in its source document. Statements are tagged to this foundation by the words they use (the list is in the public data, table foundation_lexicon).</p>
    <h2>Commitments in the tracker</h2>
    {{#hasCommitments}}
    <div class="table-wrap" role="region" aria-labelledby="caption-commitments" tabindex="0">
    <table>
    <caption id="caption-commitments">{{name}}: commitments and their latest status</caption>
    <thead><tr><th scope="col">Commitment</th><th scope="col">Owner</th><th scope="col">Due</th><th scope="col">Status</th><th scope="col">Last updated</th><th scope="col">Evidence</th></tr></thead>
    <tbody>
    {{#commitments}}<tr><th scope="row">{{id}}: {{text}}</th><td>{{owner}}</td><td>{{due}}</td><td>{{status}}</td><td>{{updated}}</td><td>{{#hasSource}}<a href="../documents/{{source}}.html">{{sourceTitle}}</a>{{/hasSource}}{{^hasSource}}None recorded{{/hasSource}}</td></tr>
    {{/commitments}}
    </tbody>
    </table>
    </div>
    {{/hasCommitments}}
    {{^hasCommitments}}<p class="gap-note">No commitments in the tracker for this foundation.</p>{{/hasCommitments}}
    <h2>Recent progress</h2>
    {{#hasProgress}}<ul class="evidence">
    {{#progress}}<li>{{text}} <a href="../documents/{{doc}}.html#s{{no}}">{{title}}{{#published}}, {{published}}{{/published}}</a></li>
    {{/progress}}</ul>{{/hasProgress}}
    {{^hasProgress}}<p class="gap-note">No progress statements tagged to this foundation in the documents read.</p>{{/hasProgress}}
    <h2>Commitments in the documents</h2>
    {{#hasDocumentCommitments}}<ul class="evidence">
    {{#documentCommitments}}<li>{{text}} <a href="../documents/{{doc}}.html#s{{no}}">{{title}}{{#published}}, {{published}}{{/published}}</a></li>
    {{/documentCommitments}}</ul>{{/hasDocumentCommitments}}
    {{^hasDocumentCommitments}}<p class="gap-note">No statements of future action tagged to this foundation in the documents read.</p>{{/hasDocumentCommitments}}
    <h2>Quotes</h2>
    {{#hasQuotes}}{{#quotes}}<figure class="quote"><blockquote><p>{{text}}</p></blockquote><figcaption><a href="../documents/{{doc}}.html#s{{no}}">{{title}}</a></figcaption></figure>
    {{/quotes}}{{/hasQuotes}}
    {{^hasQuotes}}<p class="gap-note">No quotes tagged to this foundation in the documents read.</p>{{/hasQuotes}}
    {{> footer}}
    """

    static let markdownEvidence = """
    {{% CONTENT_TYPE: MARKDOWN}}
    # {{name}}: evidence of progress

    > **Synthetic data**: not official statistics.

    {{description}}

    What was promised, by whom and by when, and what the documents say has happened. Every statement links to where it is in its source document.

    ## Commitments in the tracker

    {{#hasCommitments}}
    | Commitment | Owner | Due | Status | Last updated | Evidence |
    |---|---|---|---|---|---|
    {{#commitments}}
    | {{id}}: {{text}} | {{owner}} | {{due}} | {{status}} | {{updated}} | {{#hasSource}}[{{sourceTitle}}](../documents/{{source}}.md){{/hasSource}}{{^hasSource}}None recorded{{/hasSource}} |
    {{/commitments}}
    {{/hasCommitments}}
    {{^hasCommitments}}
    _No commitments in the tracker for this foundation._
    {{/hasCommitments}}

    ## Recent progress

    {{#progress}}
    - {{text}} ([{{title}}](../documents/{{doc}}.md#s{{no}}))
    {{/progress}}
    {{^hasProgress}}
    _No progress statements tagged to this foundation in the documents read._
    {{/hasProgress}}

    ## Commitments in the documents

    {{#documentCommitments}}
    - {{text}} ([{{title}}](../documents/{{doc}}.md#s{{no}}))
    {{/documentCommitments}}
    {{^hasDocumentCommitments}}
    _No statements of future action tagged to this foundation in the documents read._
    {{/hasDocumentCommitments}}

    ## Quotes

    {{#quotes}}
    > {{text}}
    >
    > — [{{title}}](../documents/{{doc}}.md#s{{no}})

    {{/quotes}}
    {{^hasQuotes}}
    _No quotes tagged to this foundation in the documents read._
    {{/hasQuotes}}

    {{> markdownFooter}}
    """

    static let document = """
    {{> header}}
    <p class="crumb"><a href="../index.html">All indicators</a> / Documents</p>
    <h1>{{title}}</h1>
    <dl class="about">
    <dt>Published</dt><dd>{{published}}</dd>
    <dt>Publisher</dt><dd>{{publisher}}</dd>
    <dt>Kind of document</dt><dd>{{documentType}}</dd>
    {{#hasURL}}<dt>Source</dt><dd><a href="{{url}}">{{url}}</a></dd>{{/hasURL}}
    </dl>
    {{#notFound}}<p class="note">{{notFound}}</p>{{/notFound}}
    <p>The document as read, statement by statement, each marked as a commitment, progress, a quote or context, with the foundations it is tagged to. Page furniture and page references are left out; e-mail addresses and phone numbers are replaced by [e-mail] and [phone].</p>
    {{#sections}}
    <section>
    <h2>{{heading}}</h2>
    {{#statements}}<p id="s{{no}}" class="statement"><span class="kind">{{kind}}:</span> {{text}}{{#foundations}} <span class="tags">({{foundations}})</span>{{/foundations}}</p>
    {{/statements}}
    </section>
    {{/sections}}
    {{> footer}}
    """

    static let markdownDocument = """
    {{% CONTENT_TYPE: MARKDOWN}}
    # {{title}}

    - **Published:** {{published}}
    - **Publisher:** {{publisher}}
    - **Kind of document:** {{documentType}}
    {{#hasURL}}
    - **Source:** [{{url}}]({{url}})
    {{/hasURL}}
    {{#notFound}}

    {{notFound}}
    {{/notFound}}
    {{#sections}}

    ## {{heading}}

    {{#statements}}
    <a id="s{{no}}"></a>**{{kind}}:** {{text}}{{#foundations}} _({{foundations}})_{{/foundations}}

    {{/statements}}
    {{/sections}}

    {{> markdownFooter}}
    """

    static let quotes = """
    {{> header}}
    <h1>In their own words</h1>
    <p class="lead">What children and young people wrote in the latest "Your life, your care" survey, where they agreed to be quoted. Names, contact details, addresses, schools and places have been taken out and replaced by a word in brackets, such as [name]. Each quote is attributed only by the age group of the survey version, and only where at least 10 children and young people answered that version.</p>
    {{^hasQuotes}}<p class="gap-note">No comments can be published yet.</p>{{/hasQuotes}}
    {{#foundations}}
    <section>
    <h2>{{name}}</h2>
    {{#quotes}}<figure class="quote"><blockquote><p>{{text}}</p></blockquote><figcaption>{{attribution}}</figcaption></figure>
    {{/quotes}}
    </section>
    {{/foundations}}
    {{> footer}}
    """

    static let markdownQuotes = """
    {{% CONTENT_TYPE: MARKDOWN}}
    # In their own words

    > **Synthetic data**: not official statistics.

    What children and young people wrote in the latest "Your life, your care" survey, where they agreed to be quoted. Names, contact details, addresses, schools and places have been taken out and replaced by a word in brackets, such as \\[name\\]. Each quote is attributed only by the age group of the survey version, and only where at least 10 children and young people answered that version.
    {{^hasQuotes}}

    _No comments can be published yet._
    {{/hasQuotes}}
    {{#foundations}}

    ## {{name}}

    {{#quotes}}
    > {{text}}
    >
    > — {{attribution}}

    {{/quotes}}
    {{/foundations}}

    {{> markdownFooter}}
    """

    static let indicator = """
    {{> header}}
    <p class="crumb"><a href="../index.html">All indicators</a> / {{foundation}}</p>
    <h1>{{title}}</h1>
    <p class="lead">{{definition}}</p>
    {{#headline}}
    <div class="headline">
    <p><span class="big">{{value}}</span> {{unitWords}} in Scotland, {{period}}{{#hasNumber}} ({{numberWords}}){{/hasNumber}}.</p>
    {{#interval}}<p>95% confidence interval for random variation: {{interval}}.</p>{{/interval}}
    </div>
    {{/headline}}
    {{#scotlandWithheld}}<p class="note">{{scotlandWithheld}}</p>{{/scotlandWithheld}}
    {{#randomVariation}}<p class="note">{{randomVariation}}</p>{{/randomVariation}}
    <h2>Trend in Scotland</h2>
    <p class="summary">{{plainSummary}}</p>
    <figure>
    {{{chart}}}
    <figcaption>{{chartCaption}}</figcaption>
    </figure>
    <div class="table-wrap no-print" role="region" aria-labelledby="caption-trend" tabindex="0">
    <table>
    <caption id="caption-trend">{{shortTitle}}: Scotland by period</caption>
    <thead><tr><th scope="col">Period</th>{{#hasNumber}}<th scope="col" class="num">{{numberHeading}}</th>{{/hasNumber}}{{#hasDenominator}}<th scope="col" class="num">{{denominatorHeading}}</th>{{/hasDenominator}}{{^isCount}}<th scope="col" class="num">Value ({{unitSymbol}})</th>{{#hasInterval}}<th scope="col">95% confidence interval</th>{{/hasInterval}}{{#hasResponseRate}}<th scope="col" class="num">Response rate</th>{{/hasResponseRate}}{{/isCount}}</tr></thead>
    <tbody>
    {{#trend}}
    <tr><th scope="row">{{label}}</th>{{> valueCells}}</tr>
    {{/trend}}
    </tbody>
    </table>
    </div>
    {{#responseRateNote}}<p class="note">{{responseRateNote}}</p>{{/responseRateNote}}
    {{#lowResponseNote}}<p class="note">{{lowResponseNote}}</p>{{/lowResponseNote}}
    {{#hasAnswers}}
    <div class="no-print">
    <h2>How children and young people answered, Scotland, {{period}}</h2>
    <div class="table-wrap" role="region" aria-labelledby="caption-answers" tabindex="0">
    <table>
    <caption id="caption-answers">{{shortTitle}}: every answer given, Scotland, {{period}}, by age group (each age group has its own survey version)</caption>
    <thead><tr><th scope="col">Age group</th><th scope="col">Answer</th><th scope="col" class="num">Answers</th><th scope="col" class="num">Share of the age group's answers</th><th scope="col">How it counts</th></tr></thead>
    <tbody>
    {{#answers}}<tr><td>{{group}}</td><th scope="row">{{label}}</th><td class="num">{{answers}}</td><td class="num">{{share}}</td><td>{{note}}</td></tr>
    {{/answers}}
    </tbody>
    </table>
    </div>
    {{#answersWithheldNote}}<p class="note">{{answersWithheldNote}}</p>{{/answersWithheldNote}}
    </div>
    {{/hasAnswers}}
    <div class="no-print">
    <!-- On paper the plain summary above gives the direction of travel and its test. -->
    <h2>Direction of travel in Scotland</h2>
    <p>{{changeWords}}</p>
    <div class="table-wrap" role="region" aria-labelledby="caption-direction" tabindex="0">
    <table>
    <caption id="caption-direction">{{shortTitle}}: direction of travel by rule</caption>
    <thead><tr><th scope="col">Rule</th><th scope="col">Status</th><th scope="col">How it was decided</th></tr></thead>
    <tbody>
    {{#directions}}<tr><th scope="row">{{rule}}</th><td>{{status}}</td><td>{{detail}}</td></tr>
    {{/directions}}
    </tbody>
    </table>
    </div>
    </div>
    {{#hasAreas}}
    <h2>Council areas, {{period}}</h2>
    {{#hasComparison}}
    <p>{{comparisonWords}}</p>
    <figure class="wide">
    {{{comparisonChart}}}
    <figcaption>{{comparisonCaption}}</figcaption>
    </figure>
    {{/hasComparison}}
    <div class="table-wrap no-print" role="region" aria-labelledby="caption-areas" tabindex="0">
    <table>
    <caption id="caption-areas">{{shortTitle}} by council area, {{period}}</caption>
    <thead><tr><th scope="col">Council area</th>{{#hasNumber}}<th scope="col" class="num">{{numberHeading}}</th>{{/hasNumber}}{{#hasDenominator}}<th scope="col" class="num">{{denominatorHeading}}</th>{{/hasDenominator}}{{^isCount}}<th scope="col" class="num">Value ({{unitSymbol}})</th>{{#hasInterval}}<th scope="col">95% confidence interval</th>{{/hasInterval}}{{#hasResponseRate}}<th scope="col" class="num">Response rate</th>{{/hasResponseRate}}<th scope="col">Compared with Scotland</th>{{/isCount}}</tr></thead>
    <tbody>
    {{#scotland}}<tr class="total"><th scope="row">{{label}}</th>{{#hasNumber}}<td class="num">{{number}}</td>{{/hasNumber}}{{#hasDenominator}}<td class="num">{{denominator}}</td>{{/hasDenominator}}{{^isCount}}<td class="num">{{value}}</td>{{#hasInterval}}<td>{{interval}}</td>{{/hasInterval}}{{#hasResponseRate}}<td class="num">{{responseRate}}</td>{{/hasResponseRate}}<td></td>{{/isCount}}</tr>{{/scotland}}
    {{#areas}}
    <tr><th scope="row">{{label}}</th>{{#hasNumber}}<td class="num">{{number}}</td>{{/hasNumber}}{{#hasDenominator}}<td class="num">{{denominator}}</td>{{/hasDenominator}}{{^isCount}}<td class="num">{{value}}</td>{{#hasInterval}}<td>{{interval}}</td>{{/hasInterval}}{{#hasResponseRate}}<td class="num">{{responseRate}}</td>{{/hasResponseRate}}<td>{{benchmark}}</td>{{/isCount}}</tr>
    {{/areas}}
    </tbody>
    </table>
    </div>
    {{/hasAreas}}
    {{#scotlandOnlyValues}}<p class="note">{{scotlandOnlyValues}}</p>{{/scotlandOnlyValues}}
    {{#breakdownsScotlandOnly}}<p class="note">{{breakdownsScotlandOnly}}</p>{{/breakdownsScotlandOnly}}
    {{#breakdowns}}
    <div class="no-print">
    <h2>{{title}}, Scotland, {{period}}</h2>
    <div class="table-wrap" role="region" aria-labelledby="caption-{{slug}}" tabindex="0">
    <table>
    <caption id="caption-{{slug}}">{{shortTitle}} {{titleLower}}, Scotland, {{period}}</caption>
    <thead><tr><th scope="col">Group</th>{{#hasNumber}}<th scope="col" class="num">{{numberHeading}}</th>{{/hasNumber}}{{#hasDenominator}}<th scope="col" class="num">{{denominatorHeading}}</th>{{/hasDenominator}}{{^isCount}}<th scope="col" class="num">Value ({{unitSymbol}})</th>{{#hasInterval}}<th scope="col">95% confidence interval</th>{{/hasInterval}}{{#hasResponseRate}}<th scope="col" class="num">Response rate</th>{{/hasResponseRate}}{{/isCount}}</tr></thead>
    <tbody>
    {{#rows}}
    <tr><th scope="row">{{label}}</th>{{> valueCells}}</tr>
    {{/rows}}
    </tbody>
    </table>
    </div>
    </div>
    {{/breakdowns}}
    <p class="print-only">Full tables (the trend, every council area and the breakdowns), the definition and the downloads are on this page online: indicators/{{id}}.html on the Promise progress dashboards, with its data in data/pages/indicator-{{id}}.csv.</p>
    <div class="no-print">
    <h2>About this indicator</h2>
    <dl class="about">
    <dt>Why it matters</dt><dd>{{rationale}}</dd>
    <dt>Foundation</dt><dd>{{foundation}}</dd>
    <dt>Vision statement</dt><dd>{{visionStatement}}</dd>
    <dt>Outcome</dt><dd>{{outcome}}</dd>
    <dt>Type</dt><dd>{{role}} indicator</dd>
    <dt>What is counted</dt><dd>{{numerator}}</dd>
    {{#denominatorWords}}<dt>Out of</dt><dd>{{denominatorWords}}</dd>{{/denominatorWords}}
    <dt>Unit</dt><dd>{{unit}}</dd>
    <dt>Which way is better</dt><dd>{{polarity}}</dd>
    <dt>Source</dt><dd>{{source}}</dd>
    <dt>Published by</dt><dd>{{publisher}}</dd>
    <dt>Updated</dt><dd>{{frequency}}; definition last updated {{lastUpdated}}; next update due {{nextUpdateDue}}</dd>
    {{#caveats}}<dt>Things to know</dt><dd>{{caveats}}</dd>{{/caveats}}
    <dt>Uncertainty</dt><dd>{{ciWords}}</dd>
    <dt>Download</dt><dd><a href="../../data/pages/indicator-{{id}}.csv">indicator-{{id}}.csv</a> (exactly what this page shows){{#hasDirectionCSV}}, <a href="../../data/pages/indicator-{{id}}-direction.csv">indicator-{{id}}-direction.csv</a> (its direction of travel){{/hasDirectionCSV}}{{#hasAnswers}}, <a href="../../data/pages/indicator-{{id}}-answers.csv">indicator-{{id}}-answers.csv</a> (every answer given){{/hasAnswers}} and <a href="../../data/{{id}}.csv">{{id}}.csv</a> (every period, area and group, after disclosure control)</dd>
    </dl>
    <details>
    <summary>How it is calculated (SQL)</summary>
    <p>Numerator, one row per council area and period (Scotland is their sum):</p>
    <pre tabindex="0" role="region" aria-label="Numerator SQL"><code>{{numeratorSQL}}</code></pre>
    {{#denominatorSQL}}<p>Denominator:</p>
    <pre tabindex="0" role="region" aria-label="Denominator SQL"><code>{{denominatorSQL}}</code></pre>{{/denominatorSQL}}
    <p>Definition file: {{file}}</p>
    </details>
    </div>
    {{> markerKey}}
    {{> footer}}
    """

    static let dataQuality = """
    {{> header}}
    <h1>Data quality</h1>
    <p class="lead">What went into this build, what was left out and why, and how many figures were withheld to protect children's privacy.</p>
    <h2>Input files</h2>
    <div class="table-wrap" role="region" aria-labelledby="caption-files" tabindex="0">
    <table>
    <caption id="caption-files">Rows read, rejected and loaded per input file</caption>
    <thead><tr><th scope="col">File</th><th scope="col" class="num">Rows read</th><th scope="col" class="num">Rows rejected</th><th scope="col" class="num">Rows loaded</th></tr></thead>
    <tbody>
    {{#files}}<tr><th scope="row">{{file}}</th><td class="num">{{read}}</td><td class="num">{{rejected}}</td><td class="num">{{loaded}}</td></tr>
    {{/files}}
    </tbody>
    </table>
    </div>
    {{#hasNotes}}
    <h2>Notes on the input files</h2>
    <ul>
    {{#notes}}<li>{{.}}</li>
    {{/notes}}
    </ul>
    {{/hasNotes}}
    <h2>Why rows were rejected</h2>
    {{#hasRejections}}
    <div class="table-wrap" role="region" aria-labelledby="caption-rejections" tabindex="0">
    <table>
    <caption id="caption-rejections">Rejected rows by file and check</caption>
    <thead><tr><th scope="col">File and check</th><th scope="col" class="num">Rows</th></tr></thead>
    <tbody>
    {{#rejections}}<tr><th scope="row">{{label}}</th><td class="num">{{count}}</td></tr>
    {{/rejections}}
    </tbody>
    </table>
    </div>
    <p>Analysts with access to the restricted store can see every rejected row, its line and the reason in the table <code>rejected_row</code>.</p>
    {{/hasRejections}}
    {{^hasRejections}}<p>No rows were rejected.</p>{{/hasRejections}}
    <h2>Figures withheld to protect privacy</h2>
    <p>{{published}} values are published. A count of 1 to 4 children could identify a child, so it is withheld and shown as [c]; so are survey results from a group of fewer than 10 children and young people, with every answer count inside it. Other counts are withheld beside it, so that nobody can work it out, even by combining every published table and zero. Which reason applies to which figure is not published: the reason itself would narrow the number down.</p>
    <p>{{informationLoss}}</p>
    <div class="table-wrap" role="region" aria-labelledby="caption-suppression" tabindex="0">
    <table>
    <caption id="caption-suppression">Counts withheld by disclosure control, by reason</caption>
    <thead><tr><th scope="col">Reason</th><th scope="col" class="num">Counts</th></tr></thead>
    <tbody>
    {{#suppressions}}<tr><th scope="row">{{label}}</th><td class="num">{{count}}</td></tr>
    {{/suppressions}}
    </tbody>
    </table>
    </div>
    {{> footer}}
    """

    static let stylesheet = """
    :root { --ink: #1b1b1b; --muted: #505a5f; --accent: #1d5c8f; --line: #b1b4b6; --soft: #f3f2f1; --warn: #fff4d6; }
    * { box-sizing: border-box; }
    body { margin: 0; font-family: "DejaVu Sans", Arial, sans-serif; color: var(--ink); line-height: 1.5; font-size: 1rem; }
    a { color: var(--accent); }
    a:focus, [tabindex]:focus { outline: 3px solid #fd0; outline-offset: 2px; }
    .skip { position: absolute; left: -999px; }
    .skip:focus { left: 1rem; top: 1rem; background: #fd0; padding: .5rem; }
    header.site .bar, footer.site { background: var(--accent); color: #fff; padding: .75rem 1.5rem; }
    header.site a, footer.site a { color: #fff; }
    .brand { margin: 0; font-weight: bold; font-size: 1.2rem; }
    nav ul { list-style: none; margin: .25rem 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 1.25rem; }
    .banner { background: var(--warn); border-left: 6px solid #b58105; padding: .75rem 1.5rem; }
    main { max-width: 64rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
    .lead { font-size: 1.15rem; color: var(--muted); }
    .crumb { color: var(--muted); }
    .headline { background: var(--soft); padding: .75rem 1rem; border-left: 6px solid var(--accent); }
    .big { font-size: 2rem; font-weight: bold; }
    .table-wrap { overflow-x: auto; margin: 1rem 0; }
    table { border-collapse: collapse; width: 100%; }
    caption { text-align: left; font-weight: bold; padding: .5rem 0; }
    th, td { border-bottom: 1px solid var(--line); padding: .4rem .6rem; text-align: left; vertical-align: top; }
    thead th { border-bottom: 2px solid var(--ink); }
    .num { text-align: right; font-variant-numeric: tabular-nums; }
    tr.total th, tr.total td { font-weight: bold; background: var(--soft); }
    .gap-note { color: var(--muted); font-style: italic; }
    figure { margin: 1rem 0; }
    p.statement .kind { font-weight: bold; }
    p.statement .tags { color: #444; font-size: 0.9rem; }
    ul.evidence li { margin-bottom: 0.5rem; }
    figure.quote { margin: 1rem 0 1rem 0; padding: 0.5rem 1rem; border-left: 4px solid #5a3e85; background: #f6f3fa; }
    figure.quote blockquote { margin: 0; font-size: 1.1rem; }
    figure.quote figcaption { margin-top: 0.25rem; color: #333; }
    figcaption { color: var(--muted); }
    svg.chart { width: 100%; max-width: 40rem; height: auto; }
    svg .grid { stroke: #dcdcdc; stroke-width: 1; }
    svg .axis { fill: var(--muted); font-size: 12px; }
    svg .line { fill: none; stroke: var(--accent); stroke-width: 3; }
    svg .point { fill: var(--accent); }
    svg .ci { stroke: #6f777b; stroke-width: 2; }
    svg .gap { fill: var(--muted); font-size: 11px; }
    dl.about dt, dl.key dt { font-weight: bold; margin-top: .5rem; }
    dl.about dd, dl.key dd { margin-left: 0; }
    pre, pre code { background: var(--soft); color: var(--ink); }
    pre { padding: .75rem; overflow-x: auto; }
    svg.chart.wide { max-width: 48rem; }
    svg .band { fill: #1d5c8f; fill-opacity: .18; stroke: none; }
    svg .target { stroke: #1b1b1b; stroke-width: 2; stroke-dasharray: 8 4; }
    svg .break { stroke: #1b1b1b; stroke-width: 1.5; stroke-dasharray: 3 3; }
    svg .reference { stroke: #1b1b1b; stroke-width: 2; stroke-dasharray: 6 3; }
    svg .label { fill: var(--ink); font-size: 12px; }
    svg .mark { stroke: #1b1b1b; stroke-width: 1; }
    svg .mark.up { fill: #1d5c8f; }
    svg .mark.down { fill: #fff; stroke-width: 2; }
    svg .mark.same { fill: #b1b4b6; }
    svg .mark.none { fill: #fff; }
    svg .range { fill: #dcdcdc; }
    svg .middle { fill: #a6a6a6; }
    p.summary { font-size: 1.05rem; }
    .print-only { display: none; }
    p.note { color: var(--muted); }
    /* A phone: each table row becomes a block, one line per cell led by its column's heading (the
       data-label the renderer copies from the header); charts keep a readable size and scroll sideways
       inside their figure, with the caption held in view. */
    @media screen and (max-width: 48rem) {
      header.site .bar, footer.site, .banner { padding-left: 1rem; padding-right: 1rem; }
      main { padding: 1rem 1rem 2rem; }
      .table-wrap { overflow-x: visible; }
      table.stack, table.stack tbody, table.stack tr, table.stack th, table.stack td { display: block; width: auto; }
      table.stack caption { display: block; }
      table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
      table.stack tr { border-bottom: 1px solid var(--line); padding: .4rem 0; }
      table.stack th, table.stack td { border: none; padding: .1rem 0; text-align: left; overflow-wrap: anywhere; }
      table.stack td:empty { display: none; }
      table.stack [data-label]::before { content: attr(data-label) ": "; font-weight: bold; }
      table.stack tr.total { padding-left: .4rem; padding-right: .4rem; }
      figure { overflow-x: auto; }
      figure svg.chart { min-width: 33rem; max-width: none; }
      figure svg.chart.wide { min-width: 40rem; max-width: none; }
      figure figcaption { position: sticky; left: 0; max-width: calc(100vw - 2rem); }
    }
    /* Narrower than a chart: say that it scrolls, above it (the table after it holds every figure). */
    @media screen and (max-width: 40rem) {
      figure:has(svg.chart)::before { content: "Wider than the screen: scroll sideways to see all of the chart \\2192"; display: block; position: sticky; left: 0;
        max-width: calc(100vw - 2rem); color: var(--muted); font-size: .9rem; margin-bottom: .25rem; }
    }
    @media print {
      @page { margin: 1.5cm; }
      body { font-size: 10pt; line-height: 1.35; }
      .skip, nav, details, .crumb, .no-print { display: none; }
      .print-only { display: block; }
      header.site .bar, footer.site { background: none; color: #000; padding: 0; }
      header.site a, footer.site a, a { color: #000; text-decoration: none; }
      .banner { border: 1px solid #000; padding: .25rem .5rem; }
      main { max-width: none; padding: 0; }
      .table-wrap { overflow: visible; }
      figure, .headline { page-break-inside: avoid; break-inside: avoid; }
      /* A short table stays whole; a long one (a council area's every indicator) runs on, rows unbroken. */
      table { page-break-inside: auto; break-inside: auto; }
      .print-only table { font-size: 8.5pt; }
      .print-only th, .print-only td { padding: .05rem .3rem; }
      tr { page-break-inside: avoid; break-inside: avoid; }
      h2, h3 { page-break-after: avoid; break-after: avoid; }
      svg.chart { max-width: 11cm; }
      svg.chart.wide { max-width: 14.5cm; max-height: 11.5cm; }
      figure { margin: .3rem 0; }
      figcaption, p.note, .summary { font-size: 8.5pt; }
      h1 { font-size: 15pt; margin: .3rem 0; }
      h2 { font-size: 12pt; margin: .6rem 0 .2rem; }
      .lead { font-size: 10pt; }
      .big { font-size: 16pt; }
      dl.key { display: flex; flex-wrap: wrap; gap: 0 .8rem; font-size: 8pt; }
      dl.key dt, dl.key dd { margin: 0; }
      footer.site { font-size: 8pt; }
      th, td { padding: .15rem .3rem; }
    }
    """

    // MARK: - Markdown

    static let markdownIndex = """
    {{% CONTENT_TYPE: MARKDOWN}}
    # Keeping The Promise: progress indicators

    > **Synthetic data.** These figures are built from made-up records that look like Scotland's looked after children statistics. They are for testing and demonstration only and are not official statistics.

    How Scotland is doing for children and young people who are looked after, arranged by the five foundations of The Promise.

    ## At a glance: which foundations are improving

    Headline direction of travel in Scotland: how many of each foundation's core statistics and survey results are improving, maintaining or worsening (commitments and the survey's response rate are not counted here).

    | Foundation | Improving | Maintaining | Worsening | Cannot be calculated or not judged | In short |
    |---|--:|--:|--:|--:|---|
    {{#glance}}
    | [{{name}}](foundations/{{id}}.md) | {{improving}} | {{maintaining}} | {{worsening}} | {{other}} | {{verdict}} |
    {{/glance}}

    [What changed since the last build](changes.md) · [Council areas](areas/index.md) · [Methods](methods.md) · [Downloads](downloads.md) · [Accessibility statement](accessibility.md)
    {{#foundations}}

    ## {{name}}

    {{description}}

    {{#hasIndicators}}
    | Indicator | Latest period | Number | Value | Direction of travel |
    |---|---|--:|--:|---|
    {{#indicators}}
    | [{{title}}](indicators/{{id}}.md) | {{period}} | {{number}} | {{value}} | {{direction}} |
    {{/indicators}}
    {{/hasIndicators}}
    {{^hasIndicators}}
    _No indicators for this foundation yet. Evidence from surveys of children and families, and from progress updates and commitments, will be added here._
    {{/hasIndicators}}

    [{{name}}: the whole picture](foundations/{{id}}.md) · [commitments and evidence of progress](evidence/{{id}}.md)
    {{#hasQuotes}}

    ### In their own words

    {{#quotes}}
    > {{text}}
    >
    > — {{attribution}}

    {{/quotes}}
    {{/hasQuotes}}
    {{/foundations}}
    {{#hasAnyQuotes}}

    [Read everything children and young people agreed to have quoted from the latest survey](quotes.md).
    {{/hasAnyQuotes}}
    {{> markdownMarkerKey}}

    See also [data quality](data-quality.md).

    {{> markdownFooter}}
    """

    static let markdownIndicator = """
    {{% CONTENT_TYPE: MARKDOWN}}
    # {{title}}

    > **Synthetic data**: not official statistics.

    {{definition}}
    {{#headline}}

    **{{value}}** {{unitWords}} in Scotland, {{period}}{{#hasNumber}} ({{numberWords}}){{/hasNumber}}.{{#interval}} 95% confidence interval for random variation: {{interval}}.{{/interval}}
    {{/headline}}
    {{#scotlandWithheld}}

    {{scotlandWithheld}}
    {{/scotlandWithheld}}
    {{#randomVariation}}

    {{randomVariation}}
    {{/randomVariation}}

    ## Trend in Scotland

    {{plainSummary}}

    Chart (on the web page): {{chartCaption}}

    | Period |{{#hasNumber}} {{numberHeading}} |{{/hasNumber}}{{#hasDenominator}} {{denominatorHeading}} |{{/hasDenominator}}{{^isCount}} Value ({{unitSymbol}}) |{{#hasInterval}} 95% confidence interval |{{/hasInterval}}{{#hasResponseRate}} Response rate |{{/hasResponseRate}}{{/isCount}}
    |---|{{#hasNumber}}--:|{{/hasNumber}}{{#hasDenominator}}--:|{{/hasDenominator}}{{^isCount}}--:|{{#hasInterval}}---|{{/hasInterval}}{{#hasResponseRate}}--:|{{/hasResponseRate}}{{/isCount}}
    {{#trend}}
    | {{label}} | {{> markdownValueCells}}
    {{/trend}}
    {{#responseRateNote}}

    {{responseRateNote}}
    {{/responseRateNote}}
    {{#lowResponseNote}}

    {{lowResponseNote}}
    {{/lowResponseNote}}
    {{#hasAnswers}}

    ## How children and young people answered, Scotland, {{period}}

    By age group (each age group has its own survey version).

    | Age group | Answer | Answers | Share of the age group's answers | How it counts |
    |---|---|--:|--:|---|
    {{#answers}}
    | {{group}} | {{label}} | {{answers}} | {{share}} | {{note}} |
    {{/answers}}
    {{#answersWithheldNote}}

    {{answersWithheldNote}}
    {{/answersWithheldNote}}
    {{/hasAnswers}}

    ## Direction of travel in Scotland

    {{changeWords}}

    | Rule | Status | How it was decided |
    |---|---|---|
    {{#directions}}
    | {{rule}} | {{status}} | {{detail}} |
    {{/directions}}
    {{#hasAreas}}

    ## Council areas, {{period}}
    {{#hasComparison}}

    {{comparisonWords}}

    Chart (on the web page): {{comparisonCaption}}
    {{/hasComparison}}

    | Council area |{{#hasNumber}} {{numberHeading}} |{{/hasNumber}}{{#hasDenominator}} {{denominatorHeading}} |{{/hasDenominator}}{{^isCount}} Value ({{unitSymbol}}) |{{#hasInterval}} 95% confidence interval |{{/hasInterval}}{{#hasResponseRate}} Response rate |{{/hasResponseRate}} Compared with Scotland |{{/isCount}}
    |---|{{#hasNumber}}--:|{{/hasNumber}}{{#hasDenominator}}--:|{{/hasDenominator}}{{^isCount}}--:|{{#hasInterval}}---|{{/hasInterval}}{{#hasResponseRate}}--:|{{/hasResponseRate}}---|{{/isCount}}
    {{#scotland}}
    | **{{label}}** |{{#hasNumber}} **{{number}}** |{{/hasNumber}}{{#hasDenominator}} **{{denominator}}** |{{/hasDenominator}}{{^isCount}} **{{value}}** | {{#hasInterval}}{{interval}} |{{/hasInterval}}{{#hasResponseRate}} {{responseRate}} |{{/hasResponseRate}} |{{/isCount}}
    {{/scotland}}
    {{#areas}}
    | {{label}} |{{#hasNumber}} {{number}} |{{/hasNumber}}{{#hasDenominator}} {{denominator}} |{{/hasDenominator}}{{^isCount}} {{value}} | {{#hasInterval}}{{interval}} |{{/hasInterval}}{{#hasResponseRate}} {{responseRate}} |{{/hasResponseRate}} {{benchmark}} |{{/isCount}}
    {{/areas}}
    {{/hasAreas}}
    {{#scotlandOnlyValues}}

    {{scotlandOnlyValues}}
    {{/scotlandOnlyValues}}
    {{#breakdownsScotlandOnly}}

    {{breakdownsScotlandOnly}}
    {{/breakdownsScotlandOnly}}
    {{#breakdowns}}

    ## {{title}}, Scotland, {{period}}

    | Group |{{#hasNumber}} {{numberHeading}} |{{/hasNumber}}{{#hasDenominator}} {{denominatorHeading}} |{{/hasDenominator}}{{^isCount}} Value ({{unitSymbol}}) |{{#hasInterval}} 95% confidence interval |{{/hasInterval}}{{#hasResponseRate}} Response rate |{{/hasResponseRate}}{{/isCount}}
    |---|{{#hasNumber}}--:|{{/hasNumber}}{{#hasDenominator}}--:|{{/hasDenominator}}{{^isCount}}--:|{{#hasInterval}}---|{{/hasInterval}}{{#hasResponseRate}}--:|{{/hasResponseRate}}{{/isCount}}
    {{#rows}}
    | {{label}} | {{> markdownValueCells}}
    {{/rows}}
    {{/breakdowns}}

    ## About this indicator

    - **Why it matters:** {{rationale}}
    - **Foundation:** {{foundation}}
    - **Vision statement:** {{visionStatement}}
    - **Outcome:** {{outcome}}
    - **Type:** {{role}} indicator
    - **What is counted:** {{numerator}}
    {{#denominatorWords}}
    - **Out of:** {{denominatorWords}}
    {{/denominatorWords}}
    - **Unit:** {{unit}}
    - **Which way is better:** {{polarity}}
    - **Source:** {{source}}
    - **Published by:** {{publisher}}
    - **Updated:** {{frequency}}; definition last updated {{lastUpdated}}; next update due {{nextUpdateDue}}
    {{#caveats}}
    - **Things to know:** {{caveats}}
    {{/caveats}}
    - **Uncertainty:** {{ciWords}}
    - **Download:** [indicator-{{id}}.csv](../../data/pages/indicator-{{id}}.csv) (exactly what this page shows){{#hasDirectionCSV}}, [its direction of travel](../../data/pages/indicator-{{id}}-direction.csv){{/hasDirectionCSV}}{{#hasAnswers}}, [every answer given](../../data/pages/indicator-{{id}}-answers.csv){{/hasAnswers}} and [{{id}}.csv](../../data/{{id}}.csv) (every period, area and group, after disclosure control)

    ## How it is calculated (SQL)

    Numerator, one row per council area and period (Scotland is their sum):

    {{{numeratorSQLMarkdown}}}
    {{#denominatorSQLMarkdown}}

    Denominator:

    {{{denominatorSQLMarkdown}}}
    {{/denominatorSQLMarkdown}}

    Definition file: {{file}}
    {{> markdownMarkerKey}}

    {{> markdownFooter}}
    """

    static let markdownDataQuality = """
    {{% CONTENT_TYPE: MARKDOWN}}
    # Data quality

    > **Synthetic data**: not official statistics.

    ## Input files

    | File | Rows read | Rows rejected | Rows loaded |
    |---|--:|--:|--:|
    {{#files}}
    | {{file}} | {{read}} | {{rejected}} | {{loaded}} |
    {{/files}}

    {{#hasNotes}}
    ## Notes on the input files

    {{#notes}}
    - {{.}}
    {{/notes}}

    {{/hasNotes}}
    ## Why rows were rejected

    {{#hasRejections}}
    | File and check | Rows |
    |---|--:|
    {{#rejections}}
    | {{label}} | {{count}} |
    {{/rejections}}
    {{/hasRejections}}
    {{^hasRejections}}
    No rows were rejected.
    {{/hasRejections}}

    ## Figures withheld to protect privacy

    {{published}} values are published. A count of 1 to 4 children could identify a child, so it is withheld and shown as [c]; so are survey results from a group of fewer than 10 children and young people, with every answer count inside it. Other counts are withheld beside it, so that nobody can work it out, even by combining every published table and zero. Which reason applies to which figure is not published: the reason itself would narrow the number down.

    {{informationLoss}}

    | Reason | Counts |
    |---|--:|
    {{#suppressions}}
    | {{label}} | {{count}} |
    {{/suppressions}}

    {{> markdownFooter}}
    """
}
