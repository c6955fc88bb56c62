package io.aitrace.server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Statements that differ only in how many rows they write ({@code INSERT … VALUES (…), (…), …}), each prepared the
 * first time a write of that many rows needs it: a statement costs sqlite-jdbc about as much as a row it writes.
 */
final class RowStatements implements AutoCloseable {
    private final Connection db;
    private final String head;
    private final String row;
    private final String tail;
    private final PreparedStatement[] bySize;

    /** {@code head}, then {@code row} once per row, comma-separated, then {@code tail}; up to {@code maxRows}. */
    RowStatements(Connection db, int maxRows, String head, String row, String tail) {
        this.db = db;
        this.head = head;
        this.row = row;
        this.tail = tail;
        this.bySize = new PreparedStatement[maxRows + 1];
    }

    /** The statement writing {@code rows} rows (1 to the maximum). */
    PreparedStatement rows(int rows) throws SQLException {
        if (bySize[rows] == null) {
            bySize[rows] = db.prepareStatement(head + (row + ",").repeat(rows - 1) + row + tail);
        }
        return bySize[rows];
    }

    @Override
    public void close() throws SQLException {
        for (PreparedStatement statement : bySize) {
            if (statement != null) {
                statement.close();
            }
        }
    }
}
