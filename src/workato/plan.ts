/** What an import would change in the target folder, asset by asset, by content. */
export interface Plan {
  added: string[]
  changed: string[]
  unchanged: string[]
  onlyInTarget: string[]
}

export function planChanges(pkg: Map<string, string>, snapshot: Map<string, string>): Plan {
  const plan: Plan = { added: [], changed: [], unchanged: [], onlyInTarget: [] }
  for (const [file, digest] of pkg) {
    const before = snapshot.get(file)
    if (before === undefined) plan.added.push(file)
    else if (before === digest) plan.unchanged.push(file)
    else plan.changed.push(file)
  }
  for (const file of snapshot.keys()) if (!pkg.has(file)) plan.onlyInTarget.push(file)
  for (const list of [plan.added, plan.changed, plan.unchanged, plan.onlyInTarget]) list.sort()
  return plan
}

export function changesNothing(plan: Plan): boolean {
  return plan.added.length === 0 && plan.changed.length === 0
}
