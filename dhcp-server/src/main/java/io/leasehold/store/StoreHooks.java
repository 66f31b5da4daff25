package io.leasehold.store;

import java.io.IOException;

/**
 * Points between the steps of a compaction, where crash tests stop the store as a crash would.
 * The store calls {@link #at} at each; the production hooks do nothing.
 */
interface StoreHooks {

    /** The steps of a compaction, in order; see {@link LeaseStore} for why this order is safe. */
    enum Step {
        /** The current journal generation is forced; nothing else changed yet. */
        OLD_JOURNAL_FORCED,
        /** The next generation's file exists, empty. */
        NEW_JOURNAL_CREATED,
        /** The carried-over records are written to the next generation, not yet forced. */
        NEW_JOURNAL_WRITTEN,
        /** The next generation and its directory are forced; appends now go to it. */
        NEW_JOURNAL_FORCED,
        /** A lease file's temporary file is written and forced, not yet renamed over the old file. */
        LEASE_FILE_WRITTEN,
        /** A lease file is renamed into place (its directory not yet forced). */
        LEASE_FILE_RENAMED,
        /** Every lease file is in place and forced; no old generation deleted yet. */
        LEASE_FILES_DONE,
        /** One old generation was deleted (there may be more). */
        OLD_JOURNAL_DELETED
    }

    StoreHooks NONE = step -> { };

    void at(Step step) throws IOException;
}
