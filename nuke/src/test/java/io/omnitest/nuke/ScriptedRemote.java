package io.omnitest.nuke;

import io.omnitest.infra.Command;
import io.omnitest.infra.ExecResult;
import io.omnitest.infra.Host;
import io.omnitest.infra.Remote;
import java.nio.file.Path;
import java.util.function.Function;

/** A remote that runs nothing: each command is answered by a function (tests record what a nemesis ran where). */
final class ScriptedRemote implements Remote {
    private final Host host;
    private final Function<Command, ExecResult> answer;

    ScriptedRemote(Host host, Function<Command, ExecResult> answer) {
        this.host = host;
        this.answer = answer;
    }

    /** An exit 0 with empty output, as {@code host} would give. */
    static ExecResult ok(Host host, Command c) {
        return new ExecResult(host.name(), c.line(), 0, "", "");
    }

    @Override
    public Host host() {
        return host;
    }

    @Override
    public ExecResult exec(Command command) {
        return answer.apply(command);
    }

    @Override
    public void upload(Path local, String remotePath) {}

    @Override
    public void download(String remotePath, Path local) {}

    @Override
    public void close() {}
}
