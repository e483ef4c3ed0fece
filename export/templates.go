package export

import "html/template"

// reportHTML is the standalone HTML report, executed piece by piece as the rows stream.
// html/template escapes all data for its context; the page runs no script and loads
// nothing (its Content-Security-Policy says so too).
var reportHTML = template.Must(template.Must(template.New("report").Parse(reportSource)).New("svg").Parse(svgSource))

const reportSource = `{{define "cites"}}{{range .}}<sup><a href="#source-{{.}}">[{{.}}]</a></sup>{{end}}{{end}}
{{define "cell"}}{{range $i, $f := .}}{{if $i}}; {{end}}{{$f.Text}}{{template "cites" $f.Cites}}{{end}}{{end}}
{{define "head"}}<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 72rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; width: 100%; margin-bottom: 2rem; }
th, td { border: 1px solid #ccc; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f4f4f4; }
figure { margin: 1rem 0; } figure svg { max-width: 100%; height: auto; border: 1px solid #ddd; }
.hedged { font-style: italic; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p>Selection: {{.Selected}}.</p>
<p>It holds {{range $i, $k := .Kinds}}{{if $i}}, {{end}}{{$k}}{{end}}, and {{.Edges}} relations, {{.Hedged}} of them hedged: suspected or believed by their sources, not confirmed. Dashed lines in the picture are hedged relations.</p>
<figure>{{template "svg" .Picture}}{{if .Picture.Note}}<figcaption>{{.Picture.Note}}</figcaption>{{end}}</figure>
{{end}}
{{define "incidentsHead"}}<h2>Incidents ({{.}})</h2>
<table>
<thead><tr><th>Date</th><th>Incident</th><th>Stolen</th><th>Attributed to</th><th>Targeted</th></tr></thead>
<tbody>
{{end}}
{{define "incident"}}<tr><td>{{.Date}}</td><td>{{.Name}}</td><td>{{template "cell" .Stolen}}</td><td>{{template "cell" .Attributed}}</td><td>{{template "cell" .Hit}}</td></tr>
{{end}}
{{define "relationsHead"}}</tbody></table>
<h2>Other relations</h2>
<table>
<thead><tr><th>From</th><th>Relation</th><th>To</th><th>Certainty</th><th>Said by</th></tr></thead>
<tbody>
{{end}}
{{define "relation"}}<tr><td>{{.From}}</td><td>{{.Relation}}</td><td>{{.To}}</td><td>{{.Certainty}}</td><td>{{template "cell" .Said}}</td></tr>
{{end}}
{{define "relationsFoot"}}{{end}}
{{define "sourcesHead"}}</tbody></table>
<h2>Sources ({{.}})</h2>
<ol>
{{end}}
{{define "source"}}<li id="source-{{.N}}">{{.Title}}{{if .Publisher}}, {{.Publisher}}{{end}}{{if .Date}}, {{.Date}}{{end}}{{if .URL}}: <a href="{{.URL}}" rel="noreferrer noopener">{{.URL}}</a>{{end}}</li>
{{end}}
{{define "sourcesFoot"}}</ol>
{{end}}
{{define "foot"}}<footer><p>Exported from cyberkg. Every statement cites its sources; "suspected" means the source did not confirm it.</p></footer>
</body>
</html>
{{end}}`
