/** v1 Namespace: only its labels matter (`istio-injection: enabled` adds sidecars). */
export type NamespaceSpec = Record<string, never>;
