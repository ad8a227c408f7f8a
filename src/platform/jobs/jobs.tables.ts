// One row per lease: which process currently leads the scheduler, and until when.
export interface JobLeasesTable {
  name: string;
  holder: string;
  expires_at: number;
}

export interface JobTables {
  job_leases: JobLeasesTable;
}
