// The lab: department networks built from network namespaces, for integration tests, demo and benchmarks.
export { createDepartment, destroyDepartment, listDepartments, departmentNamespaces } from "./department";
export type { Department, DepartmentSpec } from "./department";
export { createSshHosts, destroySshHosts } from "./sshHosts";
export { startRelay, stopRelay } from "./relay";
export { lease, release, parseLease } from "./client";
export type { Lease, LeaseOptions, DhcpClientTool } from "./client";
export { cleanupStale } from "./cleanup";
export { ensureCore } from "./core";
export { sshEnv } from "./sshd";
export type { LabHost } from "./sshd";
export { ensureDhcpImage, ensureRootfsTarball, findAptMirror, rootfsTarball } from "./image";
export type { OverlayItem } from "./image";
export { LabError } from "./labError";
export { CTL_NS, CORE_NS, LAB_STATE_DIR } from "./paths";
