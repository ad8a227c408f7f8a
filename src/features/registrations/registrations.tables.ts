// Hardware registrations (policy 6b): a serial number belongs to one account at a time; released on resale.
// Disputed registrations (a unit sold to someone else, or already registered) wait in a staff review queue.

export interface HardwareRegistrationsTable {
  id: string;
  user_id: string;
  product_id: string;
  serial: string;
  registered_at: number;
  released_at: number | null;
  /** 1 when staff assigned the serial number here (a decided review); kept with the row, as the review is deleted after 90 days. */
  assigned_by_staff: number;
}

export type ReviewReason = 'sold-to-another' | 'registered-to-another';
export type ReviewResolution = 'assigned' | 'rejected';

export interface RegistrationReviewsTable {
  id: string;
  /** Who asked to register the serial number. */
  user_id: string;
  product_id: string;
  serial: string;
  reason: ReviewReason;
  /** The order number the claimant gave as proof, if any. */
  order_number: string | null;
  created_at: number;
  resolved_at: number | null;
  resolution: ReviewResolution | null;
}

export interface RegistrationTables {
  hardware_registrations: HardwareRegistrationsTable;
  registration_reviews: RegistrationReviewsTable;
}
