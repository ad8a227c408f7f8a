// A registration that staff assigned keeps that fact on its own row: decided reviews are deleted after 90 days,
// and a buyer's order number must not override the staff decision once its review is gone.
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const addAssignedByStaff: Migration = {
  id: 'registrations.003-assigned-by-staff',
  async up(db) {
    await db.schema
      .alterTable('hardware_registrations')
      .addColumn('assigned_by_staff', types.bool, (c) => c.notNull().defaultTo(0))
      .execute();
    // Active registrations whose review (still kept) shows a staff assignment made after they were registered.
    await db
      .updateTable('hardware_registrations')
      .set({ assigned_by_staff: 1 })
      .where('released_at', 'is', null)
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('registration_reviews as r')
            .select('r.id')
            .whereRef('r.user_id', '=', 'hardware_registrations.user_id')
            .whereRef('r.serial', '=', 'hardware_registrations.serial')
            .where('r.resolution', '=', 'assigned')
            .whereRef('r.resolved_at', '>=', 'hardware_registrations.registered_at'),
        ),
      )
      .execute();
  },
};
