import { App } from "@cdktf/provider-databricks/lib/app";
import { Construct } from "constructs";
import { APP_NAME_PATTERN, DEFAULT_APP_ENDPOINT_PERMISSION, type AppServingEndpointPermission } from "../databricks";
import { propsError, type PropsProblem, reportProblems } from "./props-problems";

export type { AppServingEndpointPermission } from "../databricks";

/** One serving endpoint the app may call, under a resource key its app.yaml names in `valueFrom`. */
export interface AppServingEndpoint {
  /** The app resource key (`resources[].name`); app.yaml's `valueFrom` names it. */
  readonly key: string;
  /** The serving endpoint's name (pass the endpoint's `endpointName` so the app waits for it). */
  readonly endpointName: string;
  /** @default "CAN_QUERY" */
  readonly permission?: AppServingEndpointPermission;
}

export interface GovernedAppProps {
  /** The app name: lowercase letters, digits and hyphens, unique in the workspace, fixed once created. */
  readonly name: string;
  /** @default - none */
  readonly description?: string;
  /** The endpoints the app calls; each becomes a `serving_endpoint` app resource. */
  readonly servingEndpoints: readonly AppServingEndpoint[];
  /** Fail any plan that would destroy or replace the app. @default false */
  readonly preventDestroy?: boolean;
  /**
   * Terraform logical id of the `databricks_app` resource.
   * @default - the construct id
   */
  readonly logicalId?: string;
}

/**
 * A Databricks App (`databricks_app`) with one `serving_endpoint` resource per endpoint it calls:
 * Databricks grants the app's service principal the resource's permission on the endpoint and
 * exposes the endpoint name to the app through app.yaml `valueFrom: <key>`. Deploying the app's
 * code stays with the app's own pipeline.
 *
 * @see https://docs.databricks.com/aws/en/dev-tools/databricks-apps/resources
 */
export class GovernedApp extends Construct {
  readonly resource: App;

  constructor(scope: Construct, id: string, props: GovernedAppProps) {
    super(scope, id);
    reportProblems(this, "app", validate(props));
    this.resource = new App(this, "resource", {
      name: props.name,
      description: props.description,
      resources: props.servingEndpoints.map((e) => ({
        name: e.key,
        servingEndpoint: { name: e.endpointName, permission: e.permission ?? DEFAULT_APP_ENDPOINT_PERMISSION },
      })),
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.resource.overrideLogicalId(props.logicalId ?? id);
  }

  get appName(): string {
    return this.resource.name;
  }
  /** The application id of the app's service principal: what endpoint ACLs name. */
  get servicePrincipalClientId(): string {
    return this.resource.servicePrincipalClientId;
  }
  get url(): string {
    return this.resource.url;
  }
}

function validate(props: GovernedAppProps): PropsProblem[] {
  const problems: PropsProblem[] = [];
  if (!APP_NAME_PATTERN.test(props.name)) problems.push(propsError("name", `name "${props.name}" may contain only lowercase letters, digits and "-"`));
  if (props.servingEndpoints.length === 0) problems.push(propsError("servingEndpoints", "servingEndpoints is empty: an app here exists to call endpoints"));
  const keys = new Set<string>();
  props.servingEndpoints.forEach((e, i) => {
    if (keys.has(e.key)) problems.push(propsError(`servingEndpoints[${i}].key`, `resource key "${e.key}" is used twice`));
    keys.add(e.key);
  });
  return problems;
}
