package io.omnitest.cli.system.omnipaxos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SutJarTest {
    @Test
    void looksInOmnitestHomeThenTheCheckoutThenHere() {
        assertEquals(
                List.of(
                        Path.of("/opt/omnitest/sut/target/omnipaxos-kv.jar"),
                        Path.of("/src/omnitest/sut/target/omnipaxos-kv.jar"),
                        Path.of("/home/me/sut/target/omnipaxos-kv.jar")),
                SutJar.candidates("/opt/omnitest", Path.of("/src/omnitest/cli/target/classes"), Path.of("/home/me")));
        assertEquals(
                List.of(Path.of("/home/me/sut/target/omnipaxos-kv.jar")),
                SutJar.candidates("", Path.of("/x"), Path.of("/home/me")));
    }
}
