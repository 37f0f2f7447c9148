package io.github.trackscan.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trackscan.scan.ChangeKind;
import io.github.trackscan.scan.ScanReport;
import io.github.trackscan.synth.SynthLibrary;
import io.github.trackscan.synth.SynthOptions;
import io.github.trackscan.synth.SynthReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ReadmeExampleTest {
  @TempDir Path dir;

  @Test
  void readme_showsTheCompiledExample() throws IOException {
    Path top = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
    String readme = Files.readString(top.resolve("README.md"), StandardCharsets.UTF_8);
    List<String> source = Files.readAllLines(
        Path.of(System.getProperty("basedir", "."), "src/test/java/io/github/trackscan/example/ReadmeExample.java"));
    int begin = source.indexOf("    // README:begin");
    int end = source.indexOf("    // README:end");
    assertTrue(begin > 0 && end > begin);
    for (String line : source.subList(begin + 1, end)) {
      String unindented = line.length() >= 4 ? line.substring(4) : line.strip();
      assertTrue(readme.contains(unindented), "README.md shows the example line: " + unindented);
    }
  }

  @Test
  void example_scansALibrary() throws IOException {
    Path music = dir.resolve("music");
    SynthReport synth = SynthLibrary.generate(music, SynthOptions.builder().tracks(30).seed(9).build());
    ScanReport report = ReadmeExample.scan(music, dir.resolve("library.db"));
    assertEquals(synth.expectedCatalogue().size(), report.count(ChangeKind.ADDED));
  }
}
