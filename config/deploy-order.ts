/**
 * The order CI deploys environments in: ascending `deploy.order`, then environments without one,
 * ties by name. The one owner of that rule (the deploy workflow's matrix comes from it).
 */
import type { EnvironmentConfig } from "./schema";

export function deployOrder(environments: readonly Pick<EnvironmentConfig, "name" | "deploy">[]): string[] {
  const rank = (e: Pick<EnvironmentConfig, "deploy">) => e.deploy?.order ?? Number.POSITIVE_INFINITY;
  return [...environments]
    .sort((a, b) => (rank(a) === rank(b) ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : rank(a) - rank(b)))
    .map((e) => e.name);
}
