// Token scopes: `repository:<name>:<actions>` strings, merged and normalised for cache keys.

export type Action = "pull" | "push" | "delete" | "*";

export function repositoryScope(repository: string, actions: readonly Action[]): string {
  return `repository:${repository}:${[...new Set(actions)].sort().join(",")}`;
}

/**
 * Merges scope strings: same resource type and name get their actions united. The result is
 * sorted, so it serves as a stable cache key.
 */
export function mergeScopes(scopes: readonly string[]): string[] {
  const byResource = new Map<string, Set<string>>();
  const order: string[] = [];
  for (const scope of scopes.flatMap((s) => s.split(" ")).filter(Boolean)) {
    const last = scope.lastIndexOf(":");
    if (last < 0) {
      if (!byResource.has(scope)) order.push(scope);
      byResource.set(scope, byResource.get(scope) ?? new Set());
      continue;
    }
    const resource = scope.slice(0, last);
    const actions = scope
      .slice(last + 1)
      .split(",")
      .filter(Boolean);
    let set = byResource.get(resource);
    if (!set) {
      set = new Set();
      byResource.set(resource, set);
      order.push(resource);
    }
    for (const a of actions) set.add(a);
  }
  return order
    .map((resource) => {
      const actions = [...(byResource.get(resource) ?? [])].sort();
      return actions.length ? `${resource}:${actions.join(",")}` : resource;
    })
    .sort();
}
