// Advertising keeps no table of its own: objections live in the privacy engine's processing_objections
// (migration advertising.002 moved them there). Table advertising_objections existed until then.
export type AdvertisingTables = Record<never, never>;
