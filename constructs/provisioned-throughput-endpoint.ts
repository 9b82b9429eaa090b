import { ModelServingProvisionedThroughput } from "@cdktf/provider-databricks/lib/model-serving-provisioned-throughput";
import { Construct } from "constructs";
import { EndpointPermission, EndpointPermissions, governEndpointResource } from "./endpoint-permissions";
import {
  AiGateway,
  EndpointTimeouts,
  renderAiGateway,
  renderEmailNotifications,
  renderTags,
  renderTimeouts,
  renderTraffic,
  validateTimeouts,
} from "./governed-endpoint";
import { propsError, type PropsProblem, reportProblems } from "./props-problems";

/** A foundation model in Unity Catalog (`system.ai.*`) on provisioned model units. */
export interface ProvisionedModelEntity {
  /** Unique within the endpoint; a split refers to it. @default - derived by the server from entity name and version */
  readonly name?: string;
  /** e.g. `system.ai.llama-4-maverick`. */
  readonly entityName: string;
  readonly entityVersion: string;
  /** The number of model units to provision (positive integer). */
  readonly provisionedModelUnits: number;
}

export interface ProvisionedThroughputEndpointProps {
  /** The endpoint name in the workspace. Changing it replaces the endpoint. */
  readonly name: string;
  readonly servedEntities: readonly ProvisionedModelEntity[];
  /** Integer percentages per entity name summing to 100. @default - a single entity gets all traffic */
  readonly split?: Readonly<Record<string, number>>;
  /** @default - no AI Gateway block */
  readonly aiGateway?: AiGateway;
  /** Authoritative ACL (`databricks_permissions` with the same logical id). @default - ACLs not managed */
  readonly permissions?: readonly EndpointPermission[];
  /** @default - no tags */
  readonly tags?: Readonly<Record<string, string>>;
  /** Applied at creation only. @default - none */
  readonly budgetPolicyId?: string;
  /** Applied at creation only. @default - none */
  readonly emailNotifications?: { readonly onUpdateFailure?: readonly string[]; readonly onUpdateSuccess?: readonly string[] };
  /** @default - provider default (10 min each: often too short for a create, which is then deleted) */
  readonly timeouts?: EndpointTimeouts;
  /** `lifecycle.prevent_destroy`. @default false */
  readonly preventDestroy?: boolean;
  /** Adopt an endpoint that already exists with this `name` (Terraform `import` block). @default false */
  readonly importExisting?: boolean;
}

/**
 * A foundation model provisioned-throughput endpoint (`databricks_model_serving_provisioned_throughput`),
 * the resource the provider documents for newer foundation models, with its AI Gateway policy and ACL.
 *
 * The construct id is the Terraform logical id of both resources, as for GovernedEndpoint.
 *
 * @see https://docs.databricks.com/aws/en/machine-learning/foundation-model-apis/deploy-prov-throughput-foundation-model-apis
 */
export class ProvisionedThroughputEndpoint extends Construct {
  readonly endpoint: ModelServingProvisionedThroughput;
  readonly permissions?: EndpointPermissions;

  constructor(scope: Construct, id: string, props: ProvisionedThroughputEndpointProps) {
    super(scope, id);
    reportProblems(this, `provisioned-throughput endpoint "${props.name}"`, validate(props));
    const entities = props.servedEntities;
    this.endpoint = new ModelServingProvisionedThroughput(this, "endpoint", {
      name: props.name,
      budgetPolicyId: props.budgetPolicyId,
      config: {
        servedEntities: entities.map((e) => ({
          name: e.name,
          entityName: e.entityName,
          entityVersion: e.entityVersion,
          provisionedModelUnits: e.provisionedModelUnits,
        })),
        trafficConfig: props.split ? renderTraffic(entities.map((e) => ({ name: e.name ?? "" })), { split: props.split }) : undefined,
      },
      aiGateway: renderAiGateway(props.aiGateway, false),
      tags: renderTags(props.tags),
      emailNotifications: renderEmailNotifications(props.emailNotifications),
      timeouts: renderTimeouts(props.timeouts),
    });
    this.permissions = governEndpointResource(this, this.endpoint, id, props);
  }

  get endpointName(): string {
    return this.endpoint.name;
  }
  get servingEndpointId(): string {
    return this.endpoint.servingEndpointId;
  }
}

/** The props' problems (errors only today), at their props paths. */
function validate(props: ProvisionedThroughputEndpointProps): PropsProblem[] {
  const problems: PropsProblem[] = [];
  const entities = props.servedEntities;
  if (entities.length === 0) problems.push(propsError("servedEntities", "servedEntities is empty: serve at least one model"));
  entities.forEach((e, i) => {
    if (!Number.isInteger(e.provisionedModelUnits) || e.provisionedModelUnits <= 0) {
      problems.push(propsError(`servedEntities[${i}].provisionedModelUnits`, `provisioned_model_units must be a positive integer, got ${e.provisionedModelUnits}`));
    }
  });
  if (entities.length > 1 && !props.split) problems.push(propsError("split", `${entities.length} served entities need a split`));
  if (props.split) {
    entities.forEach((e, i) => {
      if (e.name === undefined) problems.push(propsError(`servedEntities[${i}].name`, "a split needs a name on every served entity"));
    });
    const total = Object.values(props.split).reduce((a, b) => a + b, 0);
    if (total !== 100) problems.push(propsError("split", `split sums to ${total}, expected 100`));
  }
  problems.push(...validateTimeouts(props.timeouts));
  return problems;
}
