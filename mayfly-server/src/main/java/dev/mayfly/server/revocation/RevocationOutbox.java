package dev.mayfly.server.revocation;

import dev.mayfly.core.revocation.RevocationEvent;
import dev.mayfly.server.audit.RequestContext;
import java.sql.Connection;
import java.sql.SQLException;

/** Work that must commit together with a revocation (queuing its webhook deliveries, auditing it). */
@FunctionalInterface
public interface RevocationOutbox {
    RevocationOutbox NONE = (c, r, origin) -> { };

    /** Called inside the revocation's transaction, after the record is written; {@code origin} is who asked. */
    void recorded(Connection c, RevocationEvent record, RequestContext origin) throws SQLException;
}
