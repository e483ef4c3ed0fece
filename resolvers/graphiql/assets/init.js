// Starts GraphiQL against the endpoint that served this page. Headers typed in the
// editor (Authorization: Bearer ...) are not persisted, so tokens never reach storage.
(function () {
  var fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      shouldPersistHeaders: false,
      defaultEditorToolsVisibility: true,
      defaultQuery: "# cyberkg: who stole what, from whom, for which state, and who says so.\n" +
        "{\n  state(code: \"KP\") {\n    name\n    attributedIncidents(first: 5) {\n      totalCount\n" +
        "      edges {\n        node { name date stolenUSD }\n        path { type from { name } to { name } evidence { quote source { url } } }\n      }\n    }\n  }\n}\n",
    })
  );
})();
