// examples/java/Dashboard.java -- keyproj from Java through JNA: how a Java system
// (a bureau's or a vendor's) calls libkeyproj.so.1 with no JNI code of its own.
//
//   javac -cp /usr/share/java/jna.jar -d out Dashboard.java
//   java -cp /usr/share/java/jna.jar:out -Djna.library.path=<dir of libkeyproj.so.1> \
//       Dashboard examples/data 2024-09
//
// Prints the same county table as examples/c/dashboard.c: exact values as
// java.math.BigDecimal (never double), tab-separated, a `total` line last; then
// checks that the counties' investment adds up exactly to the total. On failure
// it prints the library's message and every load problem; every handle is freed
// in a finally block. Built and run by ctest `example.java`.
import com.sun.jna.IntegerType;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.ByReference;
import com.sun.jna.ptr.PointerByReference;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

public final class Dashboard {
  /** C size_t: as wide as the platform's (Native.SIZE_T_SIZE), unsigned. */
  public static final class SizeT extends IntegerType {
    private static final long serialVersionUID = 1L;
    public SizeT() { this(0); }
    public SizeT(long value) { super(Native.SIZE_T_SIZE, value, true); }
  }

  /** A size_t* output parameter. */
  public static final class SizeTByReference extends ByReference {
    public SizeTByReference() { super(Native.SIZE_T_SIZE); }
    public long getValue() {
      return Native.SIZE_T_SIZE == 8 ? getPointer().getLong(0) : getPointer().getInt(0) & 0xffffffffL;
    }
  }

  /**
   * The kp_* functions this program uses, as declared in keyproj.h. kp_status is
   * int32_t (int); handles are opaque pointers (Pointer); a T** output is a
   * PointerByReference; strings the library returns are borrowed (read them with
   * getString(0, "UTF-8") before the handle that owns them is freed).
   */
  public interface Keyproj extends Library {
    int KP_OK = 0;

    String kp_status_name(int status);
    Pointer kp_last_error_message();
    String kp_version();
    int kp_version_number();
    int kp_abi_version();

    int kp_ledger_open_csv(byte[] dir, Pointer options, PointerByReference out, PointerByReference problems);
    int kp_ledger_project_count(Pointer ledger, SizeTByReference out);
    void kp_ledger_free(Pointer ledger);

    int kp_diagnostics_count(Pointer diagnostics, SizeTByReference out);
    int kp_diagnostics_text(Pointer diagnostics, SizeT index, PointerByReference out);
    void kp_diagnostics_free(Pointer diagnostics);

    int kp_report_request_new(PointerByReference out);
    void kp_report_request_free(Pointer request);
    int kp_report_request_set_as_of(Pointer request, byte[] date);
    int kp_report_request_add_grouping(Pointer request, byte[] dimensions);
    int kp_report_request_set_indicators(Pointer request, byte[] ids);

    int kp_report_make(Pointer ledger, Pointer request, PointerByReference out);
    void kp_report_free(Pointer report);
    int kp_report_table_title(Pointer report, SizeT table, PointerByReference out);
    int kp_report_row_count(Pointer report, SizeT table, SizeTByReference out);
    int kp_report_column_count(Pointer report, SizeT table, SizeTByReference out);
    int kp_report_column_id(Pointer report, SizeT table, SizeT column, PointerByReference out);
    int kp_report_group_key(Pointer report, SizeT table, SizeT row, SizeT dimension, PointerByReference out);
    int kp_report_value_text(Pointer report, SizeT table, SizeT row, SizeT column, PointerByReference out);
    int kp_report_note_count(Pointer report, SizeTByReference out);  // since 0.7
    int kp_report_note(Pointer report, SizeT index, PointerByReference out);
  }

  // Set once by main (loadLibrary), before any other use.
  private static Keyproj KP;

  /**
   * The ABI's soname, loaded by that name: a later, incompatible libkeyproj.so.2 is
   * never picked up by accident. JNA searches -Djna.library.path, then the loader's paths.
   */
  static Keyproj loadLibrary() {
    try {
      return Native.load("libkeyproj.so.1", Keyproj.class);
    } catch (UnsatisfiedLinkError e) {
      System.err.println("Dashboard: cannot load libkeyproj.so.1: " + e.getMessage().lines().findFirst().orElse("")
          + "\n  run java with -Djna.library.path=<the directory holding it>, e.g. /opt/keyproj/lib");
      System.exit(1);
      return null;
    }
  }
  // The release this program was written against (KP_VERSION_NUMBER of keyproj.h):
  // functions are only appended, so any library at least as new serves it.
  private static final int WRITTEN_FOR = 700;

  /** A failed call: the function, the status's name and the library's message. */
  static final class KeyprojException extends Exception {
    private static final long serialVersionUID = 1L;
    /** Right after the failed call: its message is this thread's last error. */
    KeyprojException(String call, int status) {
      this(call, status, KP.kp_last_error_message().getString(0, "UTF-8"), "");
    }
    /** message: the failed call's last error, read before any other kp_ call; details: more lines. */
    KeyprojException(String call, int status, String message, String details) {
      super(call + " failed: " + KP.kp_status_name(status) + ": " + message + details);
    }
  }

  private static void check(String call, int status) throws KeyprojException {
    if (status != Keyproj.KP_OK) throw new KeyprojException(call, status);
  }

  /** UTF-8 bytes with the NUL C expects: strings cross the ABI as UTF-8 whatever the JVM's default. */
  private static byte[] utf8(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, out, 0, bytes.length);
    return out;
  }

  private static String borrowed(PointerByReference ref) {
    Pointer p = ref.getValue();
    return p == null ? null : p.getString(0, "UTF-8");
  }

  private static final SizeT TABLE = new SizeT(0);

  /** The ledger of dir; on failure throws, the message listing every problem the load found. */
  static Pointer loadLedger(String dir) throws KeyprojException {
    PointerByReference ledger = new PointerByReference();
    PointerByReference problems = new PointerByReference();
    try {
      int status = KP.kp_ledger_open_csv(utf8(dir), null, ledger, problems);
      if (status != Keyproj.KP_OK) {
        // Read the message first: the calls below set this thread's last error anew.
        String message = KP.kp_last_error_message().getString(0, "UTF-8");
        StringBuilder details = new StringBuilder();
        SizeTByReference count = new SizeTByReference();
        if (problems.getValue() != null && KP.kp_diagnostics_count(problems.getValue(), count) == Keyproj.KP_OK) {
          for (long i = 0; i < count.getValue(); i++) {
            PointerByReference text = new PointerByReference();
            if (KP.kp_diagnostics_text(problems.getValue(), new SizeT(i), text) == Keyproj.KP_OK) {
              details.append("\n  ").append(borrowed(text));
            }
          }
        }
        throw new KeyprojException("kp_ledger_open_csv", status, message, details.toString());
      }
      return ledger.getValue();
    } finally {
      KP.kp_diagnostics_free(problems.getValue());  // NULL-safe
    }
  }

  /** Prints the county table of ledger and checks that the counties add up to the total. */
  static void printCountyReport(Pointer ledger, String asOf) throws KeyprojException {
    PointerByReference request = new PointerByReference();
    PointerByReference report = new PointerByReference();
    try {
      check("kp_report_request_new", KP.kp_report_request_new(request));
      check("kp_report_request_set_as_of", KP.kp_report_request_set_as_of(request.getValue(), asOf == null ? null : utf8(asOf)));
      check("kp_report_request_add_grouping", KP.kp_report_request_add_grouping(request.getValue(), utf8("county")));
      check("kp_report_request_set_indicators",
          KP.kp_report_request_set_indicators(request.getValue(), utf8("projects,start_rate,investment_ytd")));
      check("kp_report_make", KP.kp_report_make(ledger, request.getValue(), report));
      Pointer r = report.getValue();
      // What a reader should know before taking the figures for reported ones (the
      // date past the ledger's months, or few projects reaching the default date's):
      // the report is made all the same, so say it where the user will see it.
      SizeTByReference notes = new SizeTByReference();
      PointerByReference note = new PointerByReference();
      check("kp_report_note_count", KP.kp_report_note_count(r, notes));
      for (long i = 0; i < notes.getValue(); i++) {
        check("kp_report_note", KP.kp_report_note(r, new SizeT(i), note));
        System.err.println("Dashboard: note: " + borrowed(note));
      }

      SizeTByReference rows = new SizeTByReference();
      SizeTByReference columns = new SizeTByReference();
      PointerByReference text = new PointerByReference();
      check("kp_report_table_title", KP.kp_report_table_title(r, TABLE, text));
      check("kp_report_row_count", KP.kp_report_row_count(r, TABLE, rows));
      check("kp_report_column_count", KP.kp_report_column_count(r, TABLE, columns));
      StringBuilder header = new StringBuilder("# " + borrowed(text) + "\ncounty");
      int investment = -1;
      for (long c = 0; c < columns.getValue(); c++) {
        check("kp_report_column_id", KP.kp_report_column_id(r, TABLE, new SizeT(c), text));
        String id = borrowed(text);
        if (id.equals("investment_ytd")) investment = (int) c;
        header.append('\t').append(id);
      }
      System.out.println(header);

      // Exact decimals: BigDecimal from the library's text, never a double.
      BigDecimal countiesSum = BigDecimal.ZERO;
      BigDecimal total = null;
      for (long row = 0; row < rows.getValue(); row++) {
        check("kp_report_group_key", KP.kp_report_group_key(r, TABLE, new SizeT(row), new SizeT(0), text));
        String key = borrowed(text);
        // The whole-scope row is the last. Its key is "", as is the key of a group of
        // projects without a value (（未填）: a county not known), so tell it by place.
        boolean isTotal = row == rows.getValue() - 1;
        StringBuilder line = new StringBuilder(isTotal ? "total" : key);
        for (long c = 0; c < columns.getValue(); c++) {
          check("kp_report_value_text", KP.kp_report_value_text(r, TABLE, new SizeT(row), new SizeT(c), text));
          String exact = borrowed(text);  // null: not applicable
          BigDecimal value = exact == null ? null : new BigDecimal(exact);
          line.append('\t').append(value == null ? "-" : value.toPlainString());
          if (c == investment && value != null) {
            if (isTotal) total = value; else countiesSum = countiesSum.add(value);
          }
        }
        System.out.println(line);
      }
      if (total == null || countiesSum.compareTo(total) != 0) {
        throw new IllegalStateException("the counties' investment_ytd add up to " + countiesSum.toPlainString()
            + ", not the total " + (total == null ? "(none)" : total.toPlainString()));
      }
      System.out.println("counties add up to the total: " + countiesSum.toPlainString() + " 万元");
    } finally {
      KP.kp_report_free(report.getValue());  // each NULL-safe
      KP.kp_report_request_free(request.getValue());
    }
  }

  public static void main(String[] args) {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: Dashboard DATA_DIR [AS_OF]   e.g. Dashboard examples/data 2024-09");
      System.exit(2);
    }
    KP = loadLibrary();
    if (KP.kp_version_number() < WRITTEN_FOR || KP.kp_abi_version() != 1) {
      System.err.println("Dashboard: libkeyproj " + KP.kp_version() + " (ABI " + KP.kp_abi_version()
          + ") is older than the 0.7.0 this program was written for");
      System.exit(1);
    }
    int exitStatus = 0;
    Pointer ledger = null;
    try {
      ledger = loadLedger(args[0]);
      SizeTByReference projects = new SizeTByReference();
      check("kp_ledger_project_count", KP.kp_ledger_project_count(ledger, projects));
      System.out.println("keyproj " + KP.kp_version() + ": " + projects.getValue() + " projects");
      printCountyReport(ledger, args.length == 2 ? args[1] : null);
    } catch (KeyprojException | RuntimeException e) {
      System.err.println("Dashboard: " + e.getMessage());
      exitStatus = 1;
    } finally {
      KP.kp_ledger_free(ledger);  // NULL-safe; reports made from it stay valid on their own
    }
    System.exit(exitStatus);  // after the finally: System.exit inside it would skip the free
  }
}
