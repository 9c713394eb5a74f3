package io.omnitest.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** junit.xml: one testcase per checker, red for anomalies, error for unknown, valid against the Ant/Jenkins schema. */
class JUnitWriterTest {
    @TempDir
    Path store;

    static Schema schema() throws Exception {
        SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        return f.newSchema(new StreamSource(
                JUnitWriterTest.class.getResource("junit-ant.xsd").toString()));
    }

    static void validate(Path xml) throws Exception {
        schema().newValidator().validate(new StreamSource(xml.toFile()));
    }

    static Document parse(Path xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
    }

    static List<String> outcomes(Document d) {
        List<String> out = new ArrayList<>();
        NodeList cases = d.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            String outcome = c.getElementsByTagName("failure").getLength() > 0
                    ? "failure"
                    : c.getElementsByTagName("error").getLength() > 0 ? "error" : "pass";
            out.add(c.getAttribute("name") + "=" + outcome);
        }
        return out;
    }

    @Test
    void validRunIsAllGreen() throws Exception {
        Path xml = JUnitWriter.write(TestRuns.validKvRun(store));
        validate(xml);
        Document d = parse(xml);
        assertEquals(List.of("linearizable=pass", "stats=pass", "perf=pass", "availability=pass"), outcomes(d));
        Element suite = d.getDocumentElement();
        assertEquals("omnitest.omnipaxos-kv-partition-majorities-ring+kill", suite.getAttribute("name"));
        assertEquals("4", suite.getAttribute("tests"));
        assertEquals("0", suite.getAttribute("failures"));
        assertEquals("0", suite.getAttribute("errors"));
        assertEquals("2026-11-22T10:15:00", suite.getAttribute("timestamp"));
    }

    @Test
    void linearizabilityAnomalyIsAFailureCarryingTheSummary() throws Exception {
        Path run = TestRuns.linearAnomalyRun(store, "rethink-fail-minimal.edn");
        Path xml = JUnitWriter.write(run);
        validate(xml);
        Document d = parse(xml);
        assertEquals(List.of("linearizable=failure", "stats=pass", "perf=pass", "availability=pass"), outcomes(d));
        Element failure = (Element) d.getElementsByTagName("failure").item(0);
        assertEquals("anomaly", failure.getAttribute("type"));
        assertTrue(
                failure.getAttribute("message")
                        .contains("no order of the operations explains read → 3 by process 1 (index 2)"),
                failure.getAttribute("message"));
        assertEquals("1", d.getDocumentElement().getAttribute("failures"));
    }

    @Test
    void elleAnomalyIsAFailure() throws Exception {
        Path xml = JUnitWriter.write(TestRuns.elleAnomalyRun(store));
        validate(xml);
        assertEquals(
                List.of("elle-list-append=failure", "stats=pass", "perf=pass", "availability=pass"),
                outcomes(parse(xml)));
    }

    @Test
    void unknownIsAnErrorWithItsCauseAndAMissingResultsFileIsNeverGreen() throws Exception {
        Path run = Files.createDirectories(store.resolve("t/20261122T000000.000"));
        Files.writeString(
                run.resolve("results.json"),
                "{\"valid\":\"unknown\",\"checkers\":{\"linearizable\":"
                        + "{\"valid\":\"unknown\",\"summary\":\"timeout\",\"details\":{\"cause\":\"timeout\"}},"
                        + "\"stats\":{\"valid\":true,\"summary\":\"ok\"}}}");
        Path xml = JUnitWriter.write(run);
        validate(xml);
        Document d = parse(xml);
        assertEquals(List.of("linearizable=error", "stats=pass"), outcomes(d));
        Element error = (Element) d.getElementsByTagName("error").item(0);
        assertEquals("timeout", error.getAttribute("message"));
        assertEquals("unknown", error.getAttribute("type"));

        Path bare = Files.createDirectories(store.resolve("t/20261122T000001.000"));
        Files.writeString(bare.resolve("history.jsonl"), "");
        Path xml2 = JUnitWriter.write(bare);
        validate(xml2);
        assertEquals(List.of("results=error"), outcomes(parse(xml2)));
    }

    @Test
    void theSchemaRejectsWhatCiWouldMisread() throws Exception {
        Path bad = store.resolve("bad.xml");
        Files.writeString(
                bad,
                "<testsuite name=\"x\" tests=\"1\" failures=\"0\" errors=\"0\" time=\"1\" hostname=\"h\">"
                        + "<testcase name=\"a\" classname=\"b\" time=\"0\"/></testsuite>");
        assertThrows(org.xml.sax.SAXException.class, () -> validate(bad), "timestamp is required");
    }

    @Test
    void controlCharactersAndMarkupInSummariesStayWellFormed() throws Exception {
        Path run = Files.createDirectories(store.resolve("t/20261122T000002.000"));
        Files.writeString(
                run.resolve("results.json"),
                "{\"valid\":false,\"checkers\":{\"elle\":"
                        + "{\"valid\":false,\"summary\":\"read <x> & \\u0001 ]]> \\\"quoted\\\"\",\"details\":{\"note\":\"</failure>\"}}}}");
        Path xml = JUnitWriter.write(run);
        validate(xml);
        Element failure = (Element) parse(xml).getElementsByTagName("failure").item(0);
        assertEquals("read <x> &  ]]> \"quoted\"", failure.getAttribute("message"));
        assertTrue(failure.getTextContent().contains("</failure>"));
    }
}
