import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * Runs Neo4j Community embedded, with Bolt on 127.0.0.1 only.
 *
 * Usage: java -Xmx1g -cp 'lib/*:classes' Launcher HOME_DIR BOLT_PORT PAGECACHE_MB TX_TIMEOUT_SECONDS
 *
 * It prints "PHAKHI-NEO4J-READY bolt://127.0.0.1:PORT" once the default
 * database answers, and shuts down cleanly on SIGTERM/SIGINT or when its
 * standard input closes (so it never outlives the Go process that started it).
 */
public final class Launcher {
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: Launcher HOME_DIR BOLT_PORT PAGECACHE_MB TX_TIMEOUT_SECONDS");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        long pageCacheBytes = Long.parseLong(args[2]) * 1024L * 1024L;
        long txTimeoutSeconds = Long.parseLong(args[3]);

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCacheBytes)
                .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofSeconds(txTimeoutSeconds))
                // Bolt shuts down after the databases have stopped, then
                // waits for its connections and its threads, 5 s each by
                // default: 10 of a stop's 10.6 s, with no work left for
                // either (a query in flight ended with its database).
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                .build();

        Object lock = new Object();
        Thread shutdown = new Thread(() -> {
            synchronized (lock) {
                System.out.println("PHAKHI-NEO4J-STOPPING");
                System.out.flush();
                dbms.shutdown();
                System.out.println("PHAKHI-NEO4J-STOPPED");
                System.out.flush();
            }
        }, "phakhi-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);

        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        db.executeTransactionally("RETURN 1");
        System.out.println("PHAKHI-NEO4J-READY bolt://127.0.0.1:" + port);
        System.out.flush();

        // Block until the parent closes our stdin (or dies), then exit; the
        // shutdown hook stops the database.
        InputStream in = System.in;
        byte[] buf = new byte[256];
        try {
            while (in.read(buf) >= 0) {
                // ignore input
            }
        } catch (IOException ignored) {
            // parent gone
        }
        System.exit(0);
    }
}
