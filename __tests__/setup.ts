import "../stacks/cdktf-internals";
import { Testing } from "cdktf";

Testing.setupJest();
