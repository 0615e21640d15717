// The channel form's "Gemini (Vertex AI)" choice: the API stores provider gemini with config project/location
// (DESIGN's field names stay as they are), so the form splits and joins them here.

export const VERTEX = 'gemini-vertex';

/** A stored channel's provider and config as the form shows them. */
export function splitVertex(provider, config) {
  const rest = { ...(config || {}) };
  const vertex = provider === 'gemini' && !!(rest.project || rest.location || rest.vertex);
  if (!vertex) return { provider, project: '', location: '', config: rest };
  const project = rest.project || '';
  const location = rest.location || '';
  delete rest.project;
  delete rest.location;
  delete rest.vertex;
  return { provider: VERTEX, project, location, config: rest };
}

/** The provider and config the API stores for the form's choice; {@code config} is the parsed config field or null. */
export function joinVertex(choice, project, location, config) {
  if (choice !== VERTEX) return { provider: choice, config };
  const vertex = { ...(config || {}) };
  if (project.trim()) vertex.project = project.trim();
  if (location.trim()) vertex.location = location.trim();
  // Neither given: the key's own project at the global endpoint (or an express-mode key).
  if (!vertex.project && !vertex.location) vertex.vertex = true;
  return { provider: 'gemini', config: vertex };
}
