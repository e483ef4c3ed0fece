// cytoscape-svg ships no types: it registers cy.svg(), declared in cy-svg.d.ts.
declare module "cytoscape-svg" {
  const ext: (cy: unknown) => void;
  export default ext;
}
