// The merge function of scenarios/strategy-custom.yaml (application.merge): it gets the Data maps
// of two concurrent versions (the earlier client write first) and returns the Data to keep, as an
// AppSync Lambda conflict handler would. This one keeps the higher score and every other attribute.
type Data = Record<string, unknown>;

export function merge(stored: Data, incoming: Data): Data {
  const score = Math.max(Number(stored.score ?? 0), Number(incoming.score ?? 0));
  return { ...stored, ...incoming, score };
}
