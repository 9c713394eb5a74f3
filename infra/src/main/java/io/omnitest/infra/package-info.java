/**
 * Control of the hosts a test runs on (DESIGN.md §2, §6).
 *
 * <p>{@link io.omnitest.infra.Remote} runs {@link io.omnitest.infra.Command}s (argument
 * lists, escaped only by {@link io.omnitest.infra.Shell#quote}) and copies files;
 * {@link io.omnitest.infra.SshRemote} does it over SSH, {@link io.omnitest.infra.LocalRemote}
 * on this machine. {@link io.omnitest.infra.Remotes} keeps one per host.
 * {@link io.omnitest.infra.Inventory} reads {@code --hosts} files.
 *
 * <p>A run, as the CLI wires it:
 * <pre>{@code
 * LocalCluster cluster = LocalCluster.standard();
 * List<Host> hosts = cluster.up(5);                       // or Inventory.load(file, defaults)
 * try (Remotes remotes = Remotes.ssh()) {
 *     Db db = ...;                                        // a system's Db (cli's io.omnitest.cli.system)
 *     Parallel.forEach(hosts, db::setup);
 *     ...                                                 // the system's clients
 *     hosts.forEach(h -> db.collectLogs(h, store.resolve("nodes").resolve(h.name())));
 *     Parallel.forEach(hosts, db::teardown);
 * } finally {
 *     cluster.down();                                     // only if this run brought it up
 * }
 * }</pre>
 *
 * <p>Failures: {@link io.omnitest.infra.EnvironmentUnavailable} (exit 69: not root, tool
 * missing, no key, unknown host key), {@link io.omnitest.infra.RemoteException} (host
 * unreachable or a command failed), {@link io.omnitest.infra.InventoryException} (a bad
 * hosts file, exit 64). Messages are one sentence. Logging goes through
 * {@link java.lang.System.Logger} (java.util.logging unless configured otherwise).
 */
package io.omnitest.infra;
