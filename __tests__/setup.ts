import "../stacks/no-stack-traces";
import { Testing } from "cdktf";

Testing.setupJest();
