package io.netring.filter;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * libpcap as the reference: builds src/test/c/pcap_oracle.c into target/ with gcc and runs it
 * over a frame file, one expression per line, reading back libpcap's verdicts, instruction
 * counts and compile errors.
 */
final class PcapOracle {
    /** libpcap's answer for one expression: its error, or its instruction count and verdicts. */
    record Answer(String error, int instructions, String verdicts, List<int[]> program) {
        boolean ok() {
            return error == null;
        }
    }

    private static Path binary;

    static synchronized Path binary() throws IOException, InterruptedException {
        if (binary == null) {
            Path src = Path.of("src/test/c/pcap_oracle.c");
            Path out = Path.of("target/pcap_oracle");
            Files.createDirectories(out.getParent());
            Process gcc = new ProcessBuilder("gcc", "-O2", "-o", out.toString(), src.toString(), "-lpcap")
                    .redirectErrorStream(true).start();
            String log = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!gcc.waitFor(60, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
                throw new IOException("gcc pcap_oracle.c failed (needs gcc and libpcap-dev): " + log);
            }
            binary = out;
        }
        return binary;
    }

    static Path writeFrames(List<FrameCorpus.Frame> frames, Path file) throws IOException {
        int size = 0;
        for (FrameCorpus.Frame f : frames) {
            size += 8 + f.data().length;
        }
        ByteBuffer buf = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        for (FrameCorpus.Frame f : frames) {
            buf.putInt(f.data().length).putInt(f.wireLength()).put(f.data());
        }
        Files.write(file, buf.array());
        return file;
    }

    /** libpcap's answers for each expression over the frames in {@code framesFile}. */
    static List<Answer> run(Path framesFile, List<String> expressions, boolean withPrograms) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary().toString(), framesFile.toString()));
        if (withPrograms) {
            cmd.add("-p");
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Thread writer = new Thread(() -> {
            try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8))) {
                for (String e : expressions) {
                    w.write(e);
                    w.write('\n');
                }
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        writer.start();
        List<Answer> answers = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (int i = 0; i < expressions.size(); i++) {
                String line = r.readLine();
                if (line == null) {
                    throw new IOException("pcap_oracle stopped after " + i + " answers");
                }
                if (line.startsWith("ERR ")) {
                    answers.add(new Answer(line.substring(4), 0, null, null));
                    continue;
                }
                String[] parts = line.split(" ", 3);
                List<int[]> program = null;
                if (withPrograms) {
                    program = new ArrayList<>();
                    for (String l = r.readLine(); l != null && !l.equals("END"); l = r.readLine()) {
                        String[] f = l.split(" ");
                        program.add(new int[] {Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                                Integer.parseUnsignedInt(f[3])});
                    }
                }
                answers.add(new Answer(null, Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : "", program));
            }
        }
        writer.join();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("pcap_oracle did not exit");
        }
        return answers;
    }
}
