// EPUBCheck on many files in one JVM, for the tests (tests/common/mod.rs, `epubcheck`).
//
// Run with java's single-file source launcher:
//   java -cp <epubcheck.jar> tests/common/EpubCheckMany.java
// It reads one path per line on stdin and, for each, runs EPUBCheck's own command line
// (com.adobe.epubcheck.tool.EpubChecker, what `java -jar epubcheck.jar PATH` runs) with
// System.out and System.err captured, then writes on stdout
//   REPORT <exit status> <length in bytes>\n<that many bytes: the report, stdout then stderr>
// so the report holds the same lines (messages with their locations, and the summary) as the
// command line's. The JVM starts and loads EPUBCheck's schemas once per test binary instead of
// once per EPUB. It exits at the end of its input.

import com.adobe.epubcheck.tool.EpubChecker;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

public class EpubCheckMany {
    public static void main(String[] args) throws Exception {
        PrintStream realOut = System.out;
        PrintStream realErr = System.err;
        OutputStream answer = new java.io.FileOutputStream(java.io.FileDescriptor.out);
        BufferedReader in =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String path;
        while ((path = in.readLine()) != null) {
            if (path.isEmpty()) {
                continue;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status;
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            try {
                status = new EpubChecker().run(new String[] {path});
            } catch (Throwable t) {
                t.printStackTrace();
                status = 99;
            } finally {
                System.out.flush();
                System.err.flush();
                System.setOut(realOut);
                System.setErr(realErr);
            }
            out.write(err.toByteArray());
            byte[] report = out.toByteArray();
            answer.write(
                    ("REPORT " + status + " " + report.length + "\n")
                            .getBytes(StandardCharsets.UTF_8));
            answer.write(report);
            answer.flush();
        }
    }
}
