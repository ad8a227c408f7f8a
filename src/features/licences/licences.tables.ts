// Software licences (policy 6b): one key per purchased unit; activations per machine, identified only by a
// hash of the machine's fingerprint (no host name, no IP).

export interface LicencesTable {
  id: string;
  /** XXXXX-XXXXX-XXXXX-XXXXX, shown to the customer and typed into the product. */
  licence_key: string;
  user_id: string;
  order_id: string;
  product_id: string;
  max_activations: number;
  created_at: number;
  /** When the order line it was issued for was withdrawn from: the key no longer activates. Null while valid. */
  revoked_at: number | null;
}

export interface ActivationsTable {
  id: string;
  licence_id: string;
  /** Owner at activation time, so the data map can find the row. */
  user_id: string;
  machine_hash: string;
  /** The name the customer chose for the machine (software or account page); null when none was given. */
  machine_name: string | null;
  activated_at: number;
  deactivated_at: number | null;
}

export interface LicenceTables {
  licences: LicencesTable;
  activations: ActivationsTable;
}
