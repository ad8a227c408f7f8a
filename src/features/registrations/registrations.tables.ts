// Hardware registrations (policy 6b): a serial number belongs to one account at a time; released on resale.

export interface HardwareRegistrationsTable {
  id: string;
  user_id: string;
  product_id: string;
  serial: string;
  registered_at: number;
  released_at: number | null;
}

export interface RegistrationTables {
  hardware_registrations: HardwareRegistrationsTable;
}
