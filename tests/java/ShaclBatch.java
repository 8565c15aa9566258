// Jena SHACL over many data graphs in one JVM (tests/shacl_engines.py, with_jena_batch).
//
// Usage: java -cp JENA_CLASSPATH tests/java/ShaclBatch.java SHAPES.nt ONTOLOGY.nt DATA1.nt ...
//
// Each data graph is the union of ONTOLOGY.nt (read once, copied into every graph) and one
// DATAn.nt, and is validated exactly as Jena's own command `shacl validate --shapes SHAPES
// --data DATA` does (ShaclValidator.get().validate(shapesGraph, dataGraph)). The reports are
// printed one after the other as N-Triples, each after a line "### n" (n: the position of its
// data file among the arguments, from 1); "### end" closes the output. N-Triples lines start
// with '<' or '_', so the separator lines cannot be mistaken for report triples.

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.apache.jena.atlas.logging.LogCtl;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.GraphUtil;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.ValidationReport;
import org.apache.jena.sparql.graph.GraphFactory;
import org.apache.jena.sys.JenaSystem;

public class ShaclBatch {
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ShaclBatch SHAPES.nt ONTOLOGY.nt DATA.nt...");
            System.exit(2);
        }
        LogCtl.setLogging();
        JenaSystem.init();
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        Graph shapes = RDFDataMgr.loadGraph(args[0]);
        Graph ontology = RDFDataMgr.loadGraph(args[1]);
        for (int i = 2; i < args.length; i++) {
            Graph data = GraphFactory.createDefaultGraph();
            GraphUtil.addInto(data, ontology);
            RDFDataMgr.read(data, args[i]);
            ValidationReport report = ShaclValidator.get().validate(shapes, data);
            out.println("### " + (i - 1));
            RDFDataMgr.write(out, report.getGraph(), Lang.NTRIPLES);
        }
        out.println("### end");
        out.flush();
    }
}
