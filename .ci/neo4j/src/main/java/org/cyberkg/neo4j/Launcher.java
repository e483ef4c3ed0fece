package org.cyberkg.neo4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;
import org.neo4j.logging.log4j.Log4jLogProvider;

/**
 * Test-only Neo4j 5.26 Community server: an embedded DBMS with the Bolt
 * connector turned on, so Go tests can talk to it with the regular driver.
 *
 * <pre>
 * java -cp 'target/classes:target/lib/*' org.cyberkg.neo4j.Launcher [homeDir]
 *
 *   homeDir               Neo4j home (data/ and logs/ live under it); default
 *                         $NEO4J_DATA_DIR or ~/.cache/cyberkg/neo4j-data
 *   NEO4J_BOLT_ADDRESS    Bolt listen address, default 127.0.0.1:7687
 *   NEO4J_PAGECACHE       page cache size, default 512m
 * </pre>
 *
 * Auth is disabled: the driver may connect with no auth or any basic auth.
 * Prints "CYBERKG_NEO4J_READY" on stdout once the default database is up.
 */
public final class Launcher {

    private Launcher() {}

    public static void main(String[] args) throws Exception {
        Instant started = Instant.now();
        Path home = Path.of(args.length > 0 ? args[0]
                : env("NEO4J_DATA_DIR", System.getProperty("user.home") + "/.cache/cyberkg/neo4j-data"))
                .toAbsolutePath();
        Files.createDirectories(home);
        SocketAddress listen = parseAddress(env("NEO4J_BOLT_ADDRESS", "127.0.0.1:7687"));
        // The advertised address is what the routing table (neo4j:// URIs) hands back
        // to drivers, so it must be an address clients can dial, never a wildcard.
        SocketAddress advertised = listen.isWildcard()
                ? new SocketAddress("127.0.0.1", listen.getPort()) : listen;
        long pageCache = ByteUnit.parse(env("NEO4J_PAGECACHE", "512m"));

        System.out.printf("cyberkg neo4j launcher: home=%s bolt=%s pagecache=%d MiB%n",
                home, listen, pageCache / ByteUnit.ONE_MEBI_BYTE);

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                // Embedded mode writes no neo4j.log by default; send the user log
                // to stdout, which neo4j-start redirects into its log file.
                // (debug.log still goes to <home>/logs.)
                .setUserLogProvider(new Log4jLogProvider(System.out))
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, listen)
                .setConfig(BoltConnector.advertised_address, advertised)
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
                // Never phone home: usage data collector off, and its network
                // sender off too in case something re-enables the collector.
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .setConfig(GraphDatabaseInternalSettings.udc_network_enabled, false)
                // dbms.routing.enabled only adds the server-side routing connector
                // (:7688, for clusters). Client-side routing (neo4j:// URIs) is
                // answered on the Bolt port regardless, so don't open another port.
                .setConfig(GraphDatabaseSettings.routing_enabled, false)
                .setConfig(GraphDatabaseSettings.logs_directory, home.resolve("logs"))
                // Test data: keep transaction logs from piling up on disk.
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "100M size")
                .build();

        // Registered before waiting so a SIGTERM during startup still shuts down
        // cleanly (flushes the page cache, releases the store lock).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("cyberkg neo4j launcher: shutting down");
            dbms.shutdown();
            System.out.println("cyberkg neo4j launcher: stopped");
            System.out.flush();
        }, "cyberkg-neo4j-shutdown"));

        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        if (!db.isAvailable(TimeUnit.MINUTES.toMillis(3))) {
            System.err.println("cyberkg neo4j launcher: database did not become available");
            System.exit(1);
        }
        System.out.printf("CYBERKG_NEO4J_READY bolt://%s (startup %d ms)%n",
                advertised, Duration.between(started, Instant.now()).toMillis());
        System.out.flush();

        // Neo4j's own threads would keep the JVM alive, but park main explicitly
        // so the process lifetime does not depend on their daemon flags.
        Thread.currentThread().join();
    }

    private static String env(String name, String def) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? def : v.trim();
    }

    private static SocketAddress parseAddress(String s) {
        int i = s.lastIndexOf(':');
        if (i < 0) {
            return new SocketAddress(s, 7687);
        }
        String host = s.substring(0, i);
        return new SocketAddress(host.isEmpty() ? "127.0.0.1" : host, Integer.parseInt(s.substring(i + 1)));
    }
}
