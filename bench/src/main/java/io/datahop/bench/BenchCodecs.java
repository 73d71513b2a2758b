package io.datahop.bench;

import io.datahop.wire.Codec;
import io.datahop.wire.WireException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.fressian.FressianReader;
import org.fressian.FressianWriter;

/** The codec the benchmarks use until core's FressianCodec is available: plain Fressian. */
final class BenchCodecs {
  private BenchCodecs() {}

  static Codec codec() {
    return new Codec() {
      @Override
      public byte[] encode(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (FressianWriter w = new FressianWriter(out)) {
          w.writeObject(value);
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
        return out.toByteArray();
      }

      @Override
      public Object decode(byte[] bytes) {
        try {
          return new FressianReader(new ByteArrayInputStream(bytes)).readObject();
        } catch (IOException | RuntimeException e) {
          throw new WireException("cannot decode: " + e.getMessage());
        }
      }
    };
  }
}
